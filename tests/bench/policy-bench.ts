/**
 * Benchmark of the flow verdicts: 50,000 network_map rows (the flows benchmark's cluster shape: 3
 * nodes, 200 VMs half with a VLAN NIC, 500 pods, 30 Services, ~1,000 endpoints) against 200
 * NetworkPolicies across 12 namespaces (default denies, selector and namespace rules, ipBlocks with
 * except, named ports, port ranges). Measures building the policy world and evaluating every row
 * with a fresh evaluator (target: median under 200 ms), plus a VM proposal and its dry run.
 *
 * Run from the repository root (no extra dependencies):
 *   TS_NODE_TRANSPILE_ONLY=1 TS_NODE_COMPILER_OPTIONS='{"module":"commonjs"}' node -r ts-node/register tests/bench/policy-bench.ts
 * Environment: BENCH_ITERATIONS (default 25), BENCH_STRICT=1 to exit non-zero above the target.
 */
import { EdgeRow, enrichEdges } from '../../pkg/harvester-network-monitoring/domain/flows/enrichment/aggregate';
import { ClusterObjects, buildEndpointIndex } from '../../pkg/harvester-network-monitoring/domain/flows/enrichment/enrich';
import {
  buildPolicyWorld, dryRun, edgeVerdicts, flowEvaluator, proposePolicy
} from '../../pkg/harvester-network-monitoring/domain/policy';
import {
  nad, node, pod, service, vm, vmi
} from '../fixtures/querier/cluster';
import { seededRandom } from '../../sandbox/backend/seed/seeded-random';
import { measure as timed } from './measure';

const TARGET_MS = 200;
const ITERATIONS = Math.max(3, Number(process.env.BENCH_ITERATIONS) || 25);
const rand = seededRandom(4242);
const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)];
const pickSkewed = <T>(items: T[]): T => items[Math.floor(Math.pow(rand(), 2.5) * items.length)];
const NAMESPACES = Array.from({ length: 12 }, (_, i) => `team-${ i }`);
const APPS = ['web', 'api', 'db', 'cache', 'queue', 'worker'];

interface BenchEndpoint { ip: string; pod?: string; namespace?: string; node?: string }

function withLabels(obj: any, labels: Record<string, string>, ports: any[] = []) {
  obj.metadata.labels = { ...obj.metadata.labels, ...labels };
  obj.spec.containers = [{ name: 'c', image: 'x:1', ports }];

  return obj;
}

function cluster(): { objects: ClusterObjects; endpoints: BenchEndpoint[] } {
  const nodes = [1, 2, 3].map((i) => node(`node-${ i }`, `10.0.0.${ 10 + i }`));
  const nads = NAMESPACES.flatMap((ns) => [100, 200, 300].map((v) => nad(ns, `vlan${ v }`, v)));
  const vms: unknown[] = [];
  const vmis: unknown[] = [];
  const pods: unknown[] = [];
  const services: unknown[] = [];
  const endpoints: BenchEndpoint[] = [];

  for (let i = 0; i < 200; i++) {
    const ns = NAMESPACES[i % NAMESPACES.length];
    const name = `vm-${ i }`;
    const podIp = `10.52.${ Math.floor(i / 250) }.${ i % 250 + 1 }`;
    const nics: any[] = [{ name: 'default', ips: [podIp] }];

    if (i % 2 === 0) {
      nics.push({ name: 'nic-1', multus: `${ ns }/vlan${ [100, 200, 300][i % 3] }`, ips: [`192.168.${ i % 3 }.${ i % 250 + 1 }`] });
    }
    vms.push(vm(ns, name, nics));
    vmis.push(vmi(ns, name, nics, { node: `node-${ i % 3 + 1 }` }));
    pods.push(withLabels(pod(ns, `virt-launcher-${ name }-x${ i }`, podIp, { node: `node-${ i % 3 + 1 }`, launcherFor: name }), { app: pick(APPS) }));
    nics.forEach((n) => endpoints.push({ ip: n.ips[0] }));
  }
  for (let i = 0; i < 500; i++) {
    const ns = NAMESPACES[i % NAMESPACES.length];
    const hostNetwork = i % 25 === 0;
    const ip = hostNetwork ? `10.0.0.${ 11 + (i % 3) }` : `10.52.${ 10 + Math.floor(i / 250) }.${ i % 250 + 1 }`;
    const name = `app-${ i }`;
    const app = APPS[i % APPS.length];

    pods.push(withLabels(pod(ns, name, ip, { node: `node-${ i % 3 + 1 }`, hostNetwork }), { app, tier: i % 2 ? 'front' : 'back' }, [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }]));
    if (!hostNetwork) {
      endpoints.push(rand() < 0.8 ? {
        ip, pod: name, namespace: ns, node: `node-${ i % 3 + 1 }`
      } : { ip });
    }
  }
  for (let i = 0; i < 30; i++) {
    const s: any = service(NAMESPACES[i % NAMESPACES.length], `svc-${ i }`, [`10.53.0.${ i + 1 }`]);

    s.spec.selector = { app: APPS[i % APPS.length] };
    s.spec.ports = [{ port: 80, targetPort: 'http' }, { port: 443, targetPort: 8443 }];
    services.push(s);
    endpoints.push({ ip: `10.53.0.${ i + 1 }` });
  }
  nodes.forEach((_, i) => endpoints.push({ ip: `10.0.0.${ 11 + i }` }));
  while (endpoints.length < 1000) {
    const n = endpoints.length;

    endpoints.push({ ip: `${ 20 + (n % 180) }.${ n % 250 }.${ (n * 7) % 250 }.${ (n * 13) % 250 + 1 }` });
  }

  return {
    objects: {
      vms, vmis, pods, nodes, services, networkAttachmentDefinitions: nads
    },
    endpoints,
  };
}

function policies(count: number): unknown[] {
  const out: unknown[] = [];
  const np = (ns: string, name: string, spec: unknown) => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec
  });

  NAMESPACES.forEach((ns) => out.push(np(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }] }] })));
  for (let i = 0; out.length < count; i++) {
    const ns = pick(NAMESPACES);
    const app = pick(APPS);
    const kind = i % 5;
    const spec = kind === 0 ? { podSelector: { matchLabels: { app } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: pick(APPS) } } }], ports: [{ port: 'http' }] }] } : kind === 1 ? { podSelector: { matchLabels: { app } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': pick(NAMESPACES) } }, podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] } }] }] } : kind === 2 ? { podSelector: { matchLabels: { app } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.168.0.0/16'] } }], ports: [{ port: 443 }, { port: 8000, endPort: 8100 }] }] } : kind === 3 ? { podSelector: { matchLabels: { app } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }, { to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ port: 10250 }] }] } : { podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: [app] }] }, ingress: [{ from: [{ ipBlock: { cidr: '10.52.0.0/16', except: ['10.52.1.0/24'] } }], ports: [{ port: 9090 }, { protocol: 'UDP' }] }] };

    out.push(np(ns, `p-${ i }`, spec));
  }

  return out;
}

function rows(endpoints: BenchEndpoint[], count: number): EdgeRow[] {
  const out: EdgeRow[] = [];
  const ports = [22, 53, 80, 443, 3306, 5432, 6379, 8080, 8050, 9090, 10250];

  for (let i = 0; i < count; i++) {
    const c = pickSkewed(endpoints);
    let s = pickSkewed(endpoints);

    if (s === c) {
      s = endpoints[(endpoints.indexOf(c) + 1) % endpoints.length];
    }
    out.push({
      clientIp: c.ip, serverIp: s.ip, clientPod: c.pod ?? '', serverPod: s.pod ?? '', clientNamespace: c.namespace ?? '', serverNamespace: s.namespace ?? '', clientNode: c.node ?? '', serverNode: s.node ?? '', protocol: rand() < 0.85 ? 6 : rand() < 0.9 ? 17 : 1, serverPort: pick(ports), bytes: 1000, bytesTx: 600, bytesRx: 400, packetsTx: 5, packetsRx: 4, rttUs: 100, retrans: 0, tcpEstablishFail: 0, newFlows: 1,
    });
  }

  return out;
}

const measure = (label: string, fn: () => unknown, iterations = ITERATIONS) => timed(label, fn, iterations, 56);

function main(): void {
  const { objects, endpoints } = cluster();
  const networkPolicies = policies(200);
  const input = { ...objects, networkPolicies, namespaces: NAMESPACES.map((name) => ({ metadata: { name, labels: { team: name } } })) };
  const flows = enrichEdges(rows(endpoints, 50_000), buildEndpointIndex(objects));

  console.log(`Cluster: 3 nodes, ${ objects.vmis?.length } VMs, ${ objects.pods?.length } pods, ${ objects.services?.length } Services, ${ networkPolicies.length } NetworkPolicies`);
  console.log(`Flows: ${ flows.length } enriched network_map rows; ${ ITERATIONS } iterations\n`);

  measure('build policy world (pods, Services, 200 policies)', () => buildPolicyWorld(input));
  const world = buildPolicyWorld(input);
  const verdicts = measure('verdicts for 50,000 rows (fresh evaluator)', () => {
    const evaluator = flowEvaluator(world);

    for (const f of flows) {
      evaluator.flow(f);
    }
  });

  measure('  + per-edge summaries of the namespace map', () => edgeVerdicts(flows, flowEvaluator(world)));
  const evaluator = flowEvaluator(world);
  const counts: Record<string, number> = {};

  flows.forEach((f) => {
    const v = evaluator.flow(f).verdict;

    counts[v] = (counts[v] ?? 0) + 1;
  });
  console.log(`\nVerdicts: ${ Object.entries(counts).map(([k, n]) => `${ k } ${ n }`).join(', ') }`);
  const subject = { kind: 'vm' as const, namespace: 'team-0', name: 'vm-0' };

  measure('proposal for a VM from 50,000 rows', () => proposePolicy(flowEvaluator(world), subject, flows), 10);
  const proposal = proposePolicy(flowEvaluator(world), subject, flows);

  measure('dry run of that proposal over 50,000 rows', () => dryRun(world, proposal.policies, flows), 10);

  const verdict = verdicts.median < TARGET_MS ? 'within' : 'OVER';

  console.log(`\nverdicts median ${ verdicts.median.toFixed(1) } ms: ${ verdict } the ${ TARGET_MS } ms target`);
  if (verdict === 'OVER' && process.env.BENCH_STRICT === '1') {
    process.exitCode = 1;
  }
}

main();
