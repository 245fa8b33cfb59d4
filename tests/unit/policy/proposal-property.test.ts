/**
 * The promise of a proposal, on generated clusters and flow sets (seeded, so every run sees the
 * same ones): applied on top of whatever policies exist, it allows every flow it was built from at
 * the subject's end; without other policies it allows those flows outright; its YAML, read back,
 * gives the same answers; and traffic that does not touch the subject keeps its verdict.
 */
import { Endpoint } from '@pkg/domain/flows/enrichment/endpoint';
import {
  PolicyEnd, ProposalSubject, buildPolicyWorld, flowEvaluator, parsePoliciesYaml, policiesYaml, policyProtocol, proposePolicy,
  serviceEndpoints, withPolicies
} from '@pkg/domain/policy';
import { generate, randomFlows, randomPolicies } from './generated-cluster';

function involves(subject: ProposalSubject, e: Endpoint): boolean {
  return subject.kind === 'vm' ? e.kind === 'vm' && e.namespace === subject.namespace && e.name === subject.name : e.namespace === subject.namespace;
}

describe('proposals on generated flow sets', () => {
  const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1);

  it.each(SEEDS.map((s) => [s]))('seed %i: each VM and namespace proposal allows every flow it was built from', (seed) => {
    const g = generate(seed);
    const flows = randomFlows(seed, g, 400);
    const subjects: ProposalSubject[] = [
      ...g.vms.map((vm) => ({ kind: 'vm' as const, ...vm })),
      ...g.namespaces.map((namespace) => ({ kind: 'namespace' as const, namespace })),
    ];
    const problems: string[] = [];
    let checked = 0;

    for (const existing of [[], randomPolicies(seed, g)]) {
      const input = { ...g.input, networkPolicies: existing };
      const world = buildPolicyWorld(input);
      const before = flowEvaluator(world);

      for (const subject of subjects) {
        const proposal = proposePolicy(before, subject, flows);
        const after = flowEvaluator(withPolicies(world, proposal.policies));
        const yaml = parsePoliciesYaml(policiesYaml(proposal.policies), subject.namespace);

        expect(yaml.ok).toBe(true);
        const fromYaml = flowEvaluator(withPolicies(world, yaml.ok ? yaml.policies : []));

        for (const f of proposal.sources) {
          const v = after.flow(f);
          const member = (end: PolicyEnd) => end.kind === 'pod' && end.pod.namespace === subject.namespace && (subject.kind === 'namespace' || end.pod.vm === subject.name);
          const server = before.end(f.server);
          // The subject receives through a Service when one of the pods behind it (on the pod network) is the subject.
          const viaService = server.kind === 'service' && serviceEndpoints(world, server.service, f.serverPort, policyProtocol(f.protocol))
            .some((x) => !x.pod.target.hostNetwork && member({ kind: 'pod', pod: x.pod, ip: '' }));
          const sides = [
            ...(member(before.end(f.client)) ? [v.egress] : []),
            ...(member(server) || (viaService && subject.kind === 'namespace') ? [v.ingress] : []),
          ];

          const label = `seed ${ seed } ${ JSON.stringify(subject) } ${ f.client.key } -> ${ f.server.key } ${ f.protocol }/${ f.serverPort }`;

          problems.push(...sides.filter((x) => x.state !== 'allowed').map((x) => `${ label }: subject side ${ x.state }`));
          if (!sides.length) {
            problems.push(`${ label }: not a flow of the subject`);
          }
          if (!existing.length && v.verdict !== 'allowed') {
            problems.push(`${ label }: ${ v.verdict } without other policies`);
          }
          if (JSON.stringify(fromYaml.flow(f)) !== JSON.stringify(v)) {
            problems.push(`${ label }: differs after the YAML round trip`);
          }
          checked++;
        }
        // Flows that do not touch the subject keep their verdict.
        for (const f of flows) {
          if (!involves(subject, f.client) && !involves(subject, f.server) && f.server.kind !== 'service' && after.flow(f).verdict !== before.flow(f).verdict) {
            problems.push(`seed ${ seed } ${ JSON.stringify(subject) } ${ f.client.key } -> ${ f.server.key }: changed although it does not touch the subject`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });

  it('is deterministic: shuffled flows give the same object', () => {
    const g = generate(99);
    const flows = randomFlows(99, g, 300);
    const evaluator = flowEvaluator(buildPolicyWorld(g.input));
    const subject: ProposalSubject = { kind: 'namespace', namespace: 'alpha' };
    const shuffled = [...flows].reverse();

    expect(proposePolicy(evaluator, subject, shuffled).policies).toEqual(proposePolicy(evaluator, subject, flows).policies);
  });
});
