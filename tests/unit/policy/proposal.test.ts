/** The shape of a proposal, its dry run, the YAML the user edits and the API requests that apply it. */
import {
  applyPlan, createPolicyRequest, dryRun, flowEvaluator, parsePoliciesYaml, policiesYaml, proposalName, proposePolicy, serverRejection, withPolicies
} from '@pkg/domain/policy';
import {
  E, ICMP, TCP, UDP, at, evaluatorWith, flow, policy, worldWith
} from './world';

const VM1 = { kind: 'vm' as const, namespace: 'prod', name: 'vm1' };

describe('proposal for a VM', () => {
  const flows = [
    flow(E.client, E.vm1, 22),
    flow(E.devClient, E.vm1, 22),
    flow(E.internet, E.vm1, 443),
    flow(E.n2, E.vm1, 9100),
    flow(E.agent, E.vm1, 9100),
    flow(E.vm1, E.db, 5432),
    flow(E.vm1, E.webSvc, 80),
    flow(E.vm1, E.dnsSvc, 53, UDP),
    flow(E.vm1, E.internet6, 443),
    flow(E.vm1, E.nameless, 7000),
    ...[3000, 3001, 3002, 3004].map((p) => flow(E.vm1, E.internet, p)),
    flow(E.vm1Vlan, E.internet, 80),
    flow(E.vm1, E.internet, 0, ICMP),
    flow(E.vm1, E.extDbSvc, 5432),
    flow(E.client, E.db, 5432),
  ];
  const evaluator = evaluatorWith([]);
  const proposal = proposePolicy(evaluator, VM1, flows);
  const [p] = proposal.policies;

  it('selects the virt-launcher pod by vm.kubevirt.io/name, with both policy types', () => {
    expect(p.metadata).toEqual({ name: 'allow-observed-vm1', namespace: 'prod' });
    expect(p.spec.podSelector).toEqual({ matchLabels: { 'vm.kubevirt.io/name': 'vm1' } });
    expect(p.spec.policyTypes).toEqual(['Ingress', 'Egress']);
  });
  it('admits pods by stable labels, other namespaces by their name label, nodes and outside addresses by /32 or /128', () => {
    expect(p.spec.ingress).toEqual([
      {
        from: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev' } }, podSelector: { matchLabels: { app: 'client' } } },
          { podSelector: { matchLabels: { app: 'client' } } },
        ],
        ports: [{ protocol: 'TCP', port: 22 }],
      },
      { from: [{ ipBlock: { cidr: '203.0.113.7/32' } }], ports: [{ protocol: 'TCP', port: 443 }] },
      { from: [{ ipBlock: { cidr: '192.168.10.12/32' } }], ports: [{ protocol: 'TCP', port: 9100 }] },
    ]);
  });
  it('keeps DNS egress to the RKE2 cluster DNS, reaches Services through their selector and target port, ranges consecutive ports', () => {
    const egress = p.spec.egress || [];

    expect(egress).toContainEqual({
      to:    [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'TCP', port: 53 }, { protocol: 'UDP', port: 53 }],
    });
    expect(egress).toContainEqual({ to: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ protocol: 'TCP', port: 8080 }] });
    expect(egress).toContainEqual({ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ protocol: 'TCP', port: 5432 }] });
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '2001:db8::7/128' } }], ports: [{ protocol: 'TCP', port: 443 }] });
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '203.0.113.7/32' } }], ports: [{ protocol: 'TCP', port: 3000, endPort: 3002 }, { protocol: 'TCP', port: 3004 }] });
    // A pod with no labels is admitted by its address.
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.52.0.13/32' } }], ports: [{ protocol: 'TCP', port: 7000 }] });
  });
  it('lists what it could not turn into rules, and why', () => {
    expect(proposal.skipped.map((s) => [s.flow.client.key, s.flow.server.key, s.reason])).toEqual([
      ['vm:prod/vm1', 'external:203.0.113.7', 'vlan-nic'],
      ['vm:prod/vm1', 'external:203.0.113.7', 'protocol-undefined'],
      ['vm:prod/vm1', 'service:prod/external-db', 'service-without-selector'],
    ]);
    expect(proposal.sources).toHaveLength(flows.length - 4);
  });
  it('dry run: allows its sources, cuts what it did not see, and counts both windows', () => {
    const longer = [...flows, flow(E.devWeb, E.vm1, 22), flow(E.vm1, E.internet, 8443)];
    const before = flowEvaluator(evaluator.world);
    const short = dryRun(evaluator.world, proposal.policies, flows, before);
    const long = dryRun(evaluator.world, proposal.policies, longer, before);

    expect(short.counts).toEqual({
      total: flows.length, allowed: flows.length - 3, cut: 0, unknown: 2, notEnforced: 1, newlyCut: 0
    });
    expect(long.counts.cut).toBe(2);
    expect(long.counts.newlyCut).toBe(2);
    expect(long.rows.filter((r) => r.outcome === 'cut').map((r) => [r.flow.client.key, r.flow.serverPort])).toEqual([['pod:dev/web', 22], ['vm:prod/vm1', 8443]]);
    // The flow between other pods is untouched.
    expect(short.rows[short.rows.length - 1]).toMatchObject({ outcome: 'allowed', newlyCut: false, after: { egress: { state: 'unrestricted' } } });
  });
  it('ingress only, egress only', () => {
    expect(proposePolicy(evaluator, VM1, flows, { egress: false }).policies[0].spec).not.toHaveProperty('egress');
    expect(proposePolicy(evaluator, VM1, flows, { ingress: false }).policies[0].spec.policyTypes).toEqual(['Egress']);
    expect(proposePolicy(evaluator, VM1, flows, { ingress: false, egress: false }).policies[0].spec.policyTypes).toEqual(['Ingress']);
  });
  it('a name too long for Kubernetes is clipped with a hash, deterministically', () => {
    const long = proposalName({ kind: 'vm', namespace: 'prod', name: 'v'.repeat(250) });

    expect(long.length).toBeLessThanOrEqual(253);
    expect(long).toMatch(/-[0-9a-f]{8}$/);
    expect(proposalName({ kind: 'vm', namespace: 'prod', name: 'v'.repeat(250) })).toBe(long);
    expect(proposalName({ kind: 'namespace', namespace: 'prod' })).toBe('allow-observed-traffic');
  });
  it('a proposal replacing an existing policy of the same name is what the dry run evaluates', () => {
    const world = worldWith([policy('prod', 'allow-observed-vm1', { podSelector: { matchLabels: { 'vm.kubevirt.io/name': 'vm1' } }, policyTypes: ['Ingress'] })]);

    expect(flowEvaluator(world).flow(flow(E.client, E.vm1, 22)).verdict).toBe('blocked');
    expect(flowEvaluator(withPolicies(world, proposal.policies)).flow(flow(E.client, E.vm1, 22)).verdict).toBe('allowed');
    expect(withPolicies(world, proposal.policies).set.policies).toHaveLength(1);
  });
});

describe('proposal for a namespace', () => {
  it('selects every pod of the namespace and keeps peers inside it namespace-local', () => {
    const proposal = proposePolicy(evaluatorWith([]), { kind: 'namespace', namespace: 'prod' }, [flow(E.client, E.db, 5432), flow(E.devClient, E.web, 8080)]);
    const [p] = proposal.policies;

    expect(p.metadata.name).toBe('allow-observed-traffic');
    expect(p.spec.podSelector).toEqual({});
    expect(p.spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ protocol: 'TCP', port: 5432 }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev' } }, podSelector: { matchLabels: { app: 'client' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
    // Volatile labels (pod-template-hash) never make it into a selector.
    expect(JSON.stringify(p)).not.toContain('pod-template-hash');
  });
});

describe('YAML', () => {
  const proposal = proposePolicy(evaluatorWith([]), VM1, [flow(E.client, E.vm1, 22)]);

  it('round-trips and keeps a hostile label value as a plain string', () => {
    const hostile = { ...proposal.policies[0], metadata: { ...proposal.policies[0].metadata, annotations: { note: "x: y\n- !!js/function 'f'\n<script>" } } };
    const text = policiesYaml([hostile]);
    const back = parsePoliciesYaml(text, 'prod');

    expect(back).toEqual({ ok: true, policies: [hostile] });
  });
  it('names what to correct', () => {
    expect(parsePoliciesYaml('a: [', 'prod')).toMatchObject({ ok: false, problems: [{ code: 'syntax', document: 0 }] });
    expect(parsePoliciesYaml('', 'prod')).toEqual({ ok: false, problems: [{ code: 'empty', document: 0 }] });
    expect(parsePoliciesYaml('kind: Pod\napiVersion: v1\n', 'prod')).toMatchObject({ ok: false, problems: [{ code: 'wrong-kind', document: 1, detail: 'v1 Pod' }] });
    expect(parsePoliciesYaml('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: Bad_Name}\nspec: {}\n', 'prod')).toMatchObject({ ok: false, problems: [{ code: 'name-invalid' }] });
    expect(parsePoliciesYaml('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: other}\nspec: {}\n', 'prod')).toMatchObject({ ok: false, problems: [{ code: 'namespace-mismatch', detail: 'other' }] });
    expect(parsePoliciesYaml('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\n', 'prod')).toMatchObject({ ok: false, problems: [{ code: 'spec-missing' }] });
    expect(parsePoliciesYaml('--- 1\n', 'prod')).toMatchObject({ ok: false, problems: [{ code: 'not-an-object', document: 1 }] });
    expect(parsePoliciesYaml('x'.repeat(600 * 1024), 'prod')).toMatchObject({ ok: false, problems: [{ code: 'too-long' }] });
    // A custom tag is not code: the JSON schema refuses it.
    expect(parsePoliciesYaml("a: !!js/function 'function(){}'", 'prod')).toMatchObject({ ok: false, problems: [{ code: 'syntax' }] });
  });
  it('fills in the namespace when the text leaves it out', () => {
    const back = parsePoliciesYaml('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec: {podSelector: {}}\n', 'prod');

    expect(back.ok && back.policies[0]).toMatchObject({ metadata: { name: 'p', namespace: 'prod' } });
  });
});

describe('apply requests', () => {
  const [p] = proposePolicy(evaluatorWith([]), VM1, [flow(E.client, E.vm1, 22)]).policies;

  it('dry run first, then the same create, through the cluster prefix', () => {
    const plan = applyPlan('c-m-1', [p as unknown as Record<string, unknown>]);

    expect(plan).toEqual({
      ok:     true,
      dryRun: [{
        url: '/k8s/clusters/c-m-1/apis/networking.k8s.io/v1/namespaces/prod/networkpolicies?fieldManager=harvester-network-monitoring&dryRun=All', method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, data: p,
      }],
      create: [{
        url: '/k8s/clusters/c-m-1/apis/networking.k8s.io/v1/namespaces/prod/networkpolicies?fieldManager=harvester-network-monitoring', method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, data: p,
      }],
    });
    expect(createPolicyRequest('local', p as unknown as Record<string, unknown>, true)).toMatchObject({ ok: true, request: { url: '/apis/networking.k8s.io/v1/namespaces/prod/networkpolicies?fieldManager=harvester-network-monitoring&dryRun=All' } });
  });
  it('refuses objects that would make a wrong URL', () => {
    const bad = (m: Record<string, unknown>) => ({ ...p, metadata: { ...p.metadata, ...m } }) as unknown as Record<string, unknown>;

    expect(applyPlan('local', [bad({ namespace: '../x' })])).toEqual({ ok: false, problems: [{ index: 0, problem: 'namespace' }] });
    expect(applyPlan('local', [bad({ name: 'A' })])).toEqual({ ok: false, problems: [{ index: 0, problem: 'name' }] });
    expect(createPolicyRequest('local', { ...p, kind: 'Pod' } as unknown as Record<string, unknown>, true)).toEqual({ ok: false, problem: 'kind' });
  });
  it('reads the API server\'s refusal as the shell store rejects it', () => {
    const invalid = {
      _status: 422,
      kind:    'Status',
      status:  'Failure',
      reason:  'Invalid',
      code:    422,
      message: 'NetworkPolicy.networking.k8s.io "p" is invalid: spec.ingress[0].ports[0].endPort: Invalid value: 10: must be greater than or equal to `port`',
      details: { causes: [{ reason: 'FieldValueInvalid', field: 'spec.ingress[0].ports[0].endPort', message: 'Invalid value: 10: must be greater than or equal to `port`' }] },
    };

    expect(serverRejection(invalid)).toEqual({
      kind: 'unknown', status: 422, reason: 'Invalid', message: invalid.message, causes: [{ field: 'spec.ingress[0].ports[0].endPort', message: 'Invalid value: 10: must be greater than or equal to `port`' }],
    });
    expect(serverRejection({ response: { status: 409, data: { kind: 'Status', reason: 'AlreadyExists', message: 'networkpolicies "p" already exists' } } }))
      .toMatchObject({ status: 409, reason: 'AlreadyExists', message: 'networkpolicies "p" already exists', causes: [] });
    expect(serverRejection(new Error('offline'))).toMatchObject({ kind: 'unavailable', reason: '', message: 'offline' });
  });
});

describe('a flow of unknown ends keeps the proposal honest', () => {
  it('a VM whose launcher pod is not listed cannot be told', () => {
    const v = evaluatorWith([], (input) => {
      input.pods = (input.pods || []).filter((p: any) => p.metadata.name !== 'virt-launcher-vm1-x7k2p');
    }).flow(flow(E.client, E.vm1, 22));

    expect(v).toMatchObject({ verdict: 'unknown', ingress: { state: 'unknown', reasons: ['vm-pod-not-listed'] } });
  });
  it('an ipBlock decides and the peer pod has no address: unknown, never blocked', () => {
    const pending = at.pod('prod', 'pending', '');
    const v = evaluatorWith([policy('prod', 'db-in', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.52.0.0/16' } }] }] })], (input) => {
      input.pods = [...(input.pods || []), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending', namespace: 'prod', labels: { app: 'p' } }, spec: { containers: [] }, status: { phase: 'Pending' } }];
    }).flow(flow(pending, E.db, 5432, TCP));

    expect(v).toMatchObject({ verdict: 'unknown', ingress: { state: 'unknown', reasons: ['pod-address-unknown'] } });
  });
});
