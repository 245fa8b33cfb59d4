/**
 * Proposed NetworkPolicies against the real kube-apiserver: every proposal (for each VM and each
 * namespace of generated clusters, and after a YAML round trip) is accepted by a server-side dry
 * run sent with the request the dashboard sends (domain/policy/apply-request.ts); the object the API
 * server returns, with its defaults applied, is analysed again and still allows every flow the
 * proposal was built from. A real create then makes exactly one NetworkPolicy, and an invalid edit
 * comes back as field errors the page can show.
 */
import {
  FlowLike, NetworkPolicyObject, ProposalSubject, applyPlan, buildPolicyWorld, createPolicyRequest, flowEvaluator, parsePoliciesYaml, policiesYaml,
  proposePolicy, serverRejection, withPolicies
} from '@pkg/domain/policy';
import { KubeClient } from '../../sandbox/kube/client';
import { connect, uniqueName } from './harness';
import { generate, randomFlows, randomPolicies } from '../unit/policy/generated-cluster';

jest.setTimeout(180_000);

let kube: KubeClient;
const names = [uniqueName('pp-a'), uniqueName('pp-b'), uniqueName('pp-c')];

beforeAll(async() => {
  kube = await connect();
  for (const name of names) {
    await kube.ensureNamespace(name);
  }
});

afterAll(() => kube?.close());

/** Sends a request built by the domain (cluster 'local': the API server's own paths). */
async function send(policy: Record<string, unknown>, dryRun: boolean) {
  const built = createPolicyRequest('local', policy, dryRun);

  if (!built.ok) {
    throw new Error(`request not built: ${ built.problem }`);
  }

  return kube.request(built.request.method, built.request.url, built.request.data);
}

function sideOf(subject: ProposalSubject, f: FlowLike, evaluator: ReturnType<typeof flowEvaluator>): ('egress' | 'ingress')[] {
  const member = (e: FlowLike['client']) => {
    const end = evaluator.end(e);

    return end.kind === 'pod' && end.pod.namespace === subject.namespace && (subject.kind === 'namespace' || end.pod.vm === subject.name);
  };

  return [...(member(f.client) ? ['egress' as const] : []), ...(member(f.server) ? ['ingress' as const] : [])];
}

describe('proposals on the real API server', () => {
  it.each([[1], [2], [3], [4]])('seed %i: accepted by a server-side dry run, and the returned object allows every source flow', async(seed) => {
    const g = generate(seed, names);
    const flows = randomFlows(seed, g, 300);
    const world = buildPolicyWorld({ ...g.input, networkPolicies: randomPolicies(seed, g) });
    const before = flowEvaluator(world);
    const subjects: ProposalSubject[] = [...g.vms.map((vm) => ({ kind: 'vm' as const, ...vm })), ...g.namespaces.map((namespace) => ({ kind: 'namespace' as const, namespace }))];
    const failures: string[] = [];
    let checked = 0;

    for (const subject of subjects) {
      const proposal = proposePolicy(before, subject, flows);
      const edited = parsePoliciesYaml(policiesYaml(proposal.policies), subject.namespace);

      expect(edited.ok).toBe(true);
      const returned: Record<string, unknown>[] = [];

      for (const policy of edited.ok ? edited.policies : []) {
        const response = await send(policy, true);

        if (response.status !== 201) {
          failures.push(`${ JSON.stringify(subject) }: ${ response.status } ${ response.body?.message }`);
          continue;
        }
        // Defaults the API server applies (protocol TCP on every port entry) are now in the object.
        expect((response.body.spec.egress || []).flatMap((r: any) => r.ports || []).every((p: any) => typeof p.protocol === 'string')).toBe(true);
        returned.push(response.body);
      }
      const after = flowEvaluator(withPolicies(world, returned));

      for (const f of proposal.sources) {
        const v = after.flow(f);

        for (const side of sideOf(subject, f, before)) {
          if (v[side].state !== 'allowed') {
            failures.push(`${ JSON.stringify(subject) } ${ f.client.key } -> ${ f.server.key } ${ f.protocol }/${ f.serverPort }: ${ side } ${ v[side].state }`);
          }
        }
        checked++;
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it('apply: the dry run, then the create, makes exactly one NetworkPolicy with the proposed spec', async() => {
    const g = generate(7, names);
    const world = buildPolicyWorld(g.input);
    const vm = g.vms[0];
    const [policy] = proposePolicy(flowEvaluator(world), { kind: 'vm', ...vm }, randomFlows(7, g, 200)).policies;
    const plan = applyPlan('local', [policy as unknown as Record<string, unknown>]);

    expect(plan.ok).toBe(true);
    if (!plan.ok) {
      return;
    }
    const dry = await kube.request(plan.dryRun[0].method, plan.dryRun[0].url, plan.dryRun[0].data);

    expect(dry.status).toBe(201);
    expect(await kube.list('networking.k8s.io/v1', 'NetworkPolicy', vm.namespace)).toHaveLength(0);
    const created = await kube.request(plan.create[0].method, plan.create[0].url, plan.create[0].data);

    expect(created.status).toBe(201);
    const stored = await kube.list<NetworkPolicyObject>('networking.k8s.io/v1', 'NetworkPolicy', vm.namespace);

    expect(stored.map((p) => p.metadata.name)).toEqual([policy.metadata.name]);
    expect(stored[0].spec.podSelector).toEqual(policy.spec.podSelector);
    expect(stored[0].spec.policyTypes).toEqual(policy.spec.policyTypes);
    expect(stored[0].spec.ingress ?? []).toEqual(policy.spec.ingress);
    expect(stored[0].spec.egress).toEqual(policy.spec.egress);
    // The same create again is refused, and says why.
    const again = await kube.request(plan.create[0].method, plan.create[0].url, plan.create[0].data);

    expect(again.status).toBe(409);
    expect(serverRejection({ _status: again.status, ...again.body })).toMatchObject({ reason: 'AlreadyExists', status: 409 });
    await kube.delete('networking.k8s.io/v1', 'NetworkPolicy', policy.metadata.name, vm.namespace);
  });

  it('an invalid edit comes back as field errors', async() => {
    const bad = {
      apiVersion: 'networking.k8s.io/v1',
      kind:       'NetworkPolicy',
      metadata:   { name: 'bad-range', namespace: names[0] },
      spec:       { podSelector: {}, ingress: [{ ports: [{ port: 9000, endPort: 80 }, { port: 'http', endPort: 90 }] }], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['192.168.0.0/24'] } }] }] },
    };
    const response = await send(bad, true);
    const rejection = serverRejection({ _status: response.status, ...response.body });

    expect(response.status).toBe(422);
    expect(rejection.reason).toBe('Invalid');
    expect(rejection.causes.map((c) => c.field).sort()).toEqual(['spec.egress[0].to[0].ipBlock.except[0]', 'spec.ingress[0].ports[0].endPort', 'spec.ingress[0].ports[1].endPort']);
  });
});
