/**
 * The evaluator shares work between flows (policy lists per pod, rules per port, one answer per
 * Service backend class, unchanged ends in a dry run). Every shared answer must equal the answer of
 * an evaluation that shares nothing: a fresh world and evaluator per flow. The flows repeat each
 * pair of ends with other ports and protocols, and the policies tell those apart, so a cache key
 * that ignored the port, the protocol or a pod's ports would give some flow its sibling's verdict.
 */
import {
  FlowLike, FlowVerdict, PolicyInput, buildPolicyWorld, dryRun, flowEvaluator, proposePolicy, withPolicies
} from '@pkg/domain/policy';
import { seededRandom } from '../../../sandbox/backend/seed/seeded-random';
import { generate, randomFlows, randomPolicies } from './generated-cluster';
import {
  Json, SCTP, TCP, UDP, flow, policy
} from './world';

/** Policies whose answers differ by port, port range, named port and protocol. */
function portPolicies(namespaces: string[]): Json[] {
  return namespaces.map((namespace, i) => policy(namespace, `ports-${ i }`, {
    podSelector: i % 2 ? {} : { matchExpressions: [{ key: 'app', operator: 'Exists' }] },
    policyTypes: ['Ingress', 'Egress'],
    ingress:     [{ ports: [{ port: 'http' }, { protocol: 'UDP', port: 5000, endPort: 5003 }, { protocol: 'SCTP' }] }, { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }],
    egress:      [{ ports: [{ port: 3000, endPort: 3002 }, { protocol: 'UDP', port: 'udp-x' }, { port: 'http' }] }, { to: [{ ipBlock: { cidr: '203.0.113.0/29' } }], ports: [{ port: 443 }] }],
  }));
}

const VARIANTS: [number, number][] = [
  [8000, TCP], [8001, TCP], [8002, UDP], [5000, UDP], [5001, UDP], [5002, TCP], [5004, UDP], [3000, TCP], [3002, UDP], [3003, TCP],
  [80, TCP], [81, TCP], [81, UDP], [443, TCP], [443, SCTP], [8080, TCP], [8080, UDP], [0, 1],
];

/** Random flows, each followed by siblings: the same two endpoint objects on other ports and protocols. */
function flowsWithSiblings(seed: number, g: ReturnType<typeof generate>, count: number): FlowLike[] {
  const rand = seededRandom(seed * 31);

  return randomFlows(seed, g, count).flatMap((f) => [f, ...[0, 1, 2, 3].map(() => {
    const [port, protocol] = VARIANTS[Math.floor(rand() * VARIANTS.length)];

    return flow(f.client, f.server, port, protocol);
  })]);
}

/** The verdict with nothing shared: a world and evaluator made for this one flow. */
function uncached(input: PolicyInput, f: FlowLike, extra: unknown[] = []): FlowVerdict {
  const world = buildPolicyWorld(input);

  return flowEvaluator(extra.length ? withPolicies(world, extra) : world).flow(f);
}

const plain = (v: FlowVerdict) => JSON.parse(JSON.stringify(v));

describe('cached flow verdicts equal uncached ones', () => {
  it.each([1, 2, 3, 4, 5, 6].map((s) => [s]))('seed %i: every flow and its port/protocol siblings', (seed) => {
    const g = generate(seed);
    const input = { ...g.input, networkPolicies: [...randomPolicies(seed, g), ...portPolicies(g.namespaces)] };
    const flows = flowsWithSiblings(seed, g, 40);
    const evaluator = flowEvaluator(buildPolicyWorld(input));
    const cached = flows.map((f) => plain(evaluator.flow(f)));
    const reference = flows.map((f) => plain(uncached(input, f)));

    expect(cached).toEqual(reference);
    // The test can fail: some siblings (same ends, other port or protocol) really differ.
    const differing = flows.filter((f, i) => i % 5 && JSON.stringify(reference[i]) !== JSON.stringify(reference[i - (i % 5)]));

    expect(differing.length).toBeGreaterThan(0);
    // Asked again, in another order, the answers stay the same.
    expect([...flows].reverse().map((f) => plain(evaluator.flow(f)))).toEqual([...cached].reverse());
  });

  it.each([7, 8, 9].map((s) => [s]))('seed %i: a dry run gives every flow the verdicts of uncached worlds before and after', (seed) => {
    const g = generate(seed);
    const input = { ...g.input, networkPolicies: [...randomPolicies(seed, g), ...portPolicies(g.namespaces.slice(1))] };
    const flows = flowsWithSiblings(seed, g, 30);
    const world = buildPolicyWorld(input);
    const subject = { kind: 'namespace' as const, namespace: g.namespaces[0] };
    const proposal = proposePolicy(flowEvaluator(world), subject, flows);
    const result = dryRun(world, proposal.policies, flows);

    expect(proposal.policies.length).toBeGreaterThan(0);
    expect(result.rows.map((r) => plain(r.before))).toEqual(flows.map((f) => plain(uncached(input, f))));
    expect(result.rows.map((r) => plain(r.after))).toEqual(flows.map((f) => plain(uncached(input, f, proposal.policies))));
    expect(result.rows.some((r) => plain(r.after).egress.policies.length !== plain(r.before).egress.policies.length)).toBe(true);
  });
});
