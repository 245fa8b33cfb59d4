/**
 * The monitoring chart's footprint: total CPU and memory requests and limits of what it runs, per sizing profile
 * and layout, from the chart rendered with real helm (no hand-kept numbers). A pod counts as Kubernetes schedules
 * it: the larger of its containers' sum and its largest init container. DaemonSet pods count once per node,
 * Deployments and StatefulSets per replica; the configurator Job runs once after install and is shown apart.
 *
 * Usage: node --require ./sandbox/register.js scripts/chart-footprint.ts [--nodes 3] [--markdown]
 *   (npm run footprint)
 */
import { renderChart, K8sObject } from '../tests/support/helm';
import { parseQuantity } from '../pkg/harvester-network-monitoring/domain/install/quantity';

interface Amount { cpu: number; memory: number }
interface Footprint { requests: Amount; limits: Amount }

const PROFILES = ['small', 'medium'];
const LAYOUTS: Record<string, Record<string, unknown>> = {
  'one of each':                   {},
  '3 servers, 3 ClickHouse nodes': { server: { replicas: 3 }, clickhouse: { replicas: 3 } },
};

const arg = (name: string) => process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const NODES = Number(arg('--nodes') || 3);

const zero = (): Footprint => ({ requests: { cpu: 0, memory: 0 }, limits: { cpu: 0, memory: 0 } });

function amountOf(resources: any, kind: 'requests' | 'limits'): Amount {
  return { cpu: parseQuantity(resources?.[kind]?.cpu) || 0, memory: parseQuantity(resources?.[kind]?.memory) || 0 };
}

/** A pod's effective requests/limits: max(sum of containers, largest init container), per resource. */
function podFootprint(spec: any): Footprint {
  const out = zero();

  (['requests', 'limits'] as const).forEach((kind) => {
    const app = (spec.containers || []).map((c: any) => amountOf(c.resources, kind));
    const init = (spec.initContainers || []).map((c: any) => amountOf(c.resources, kind));

    (['cpu', 'memory'] as const).forEach((r) => {
      const sum = app.reduce((n: number, a: Amount) => n + a[r], 0);

      out[kind][r] = Math.max(sum, ...init.map((a: Amount) => a[r]));
    });
  });

  return out;
}

function add(total: Footprint, pod: Footprint, count: number) {
  (['requests', 'limits'] as const).forEach((kind) => (['cpu', 'memory'] as const).forEach((r) => {
    total[kind][r] += pod[kind][r] * count;
  }));
}

function footprint(objects: K8sObject[]): { running: Footprint; job: Footprint; pods: number } {
  const running = zero();
  const job = zero();
  let pods = 0;

  objects.forEach((o) => {
    const spec = o.spec?.template?.spec;

    if (!spec) {
      return;
    }
    if (o.kind === 'Job') {
      add(job, podFootprint(spec), 1);

      return;
    }
    const count = o.kind === 'DaemonSet' ? NODES : Number(o.spec.replicas ?? 1);

    add(running, podFootprint(spec), count);
    pods += count;
  });

  return { running, job, pods };
}

const cores = (n: number) => `${ Math.round(n * 100) / 100 }`;
const gib = (bytes: number) => `${ Math.round(bytes / 2 ** 30 * 100) / 100 } GiB`;

const print = (text: string) => process.stdout.write(`${ text }\n`);
const rows: string[][] = [];

PROFILES.forEach((profile) => Object.entries(LAYOUTS).forEach(([layout, values]) => {
  const { objects } = renderChart({ values: { ...values, sizing: { profile } } });
  const { running, job, pods } = footprint(objects);

  rows.push([profile, layout, String(pods), cores(running.requests.cpu), gib(running.requests.memory), cores(running.limits.cpu), gib(running.limits.memory),
    `${ cores(job.requests.cpu) } / ${ gib(job.requests.memory) }`]);
}));

const header = ['profile', 'layout', 'pods', 'CPU requests', 'memory requests', 'CPU limits', 'memory limits', 'configurator Job (requests)'];

print(`Chart footprint on ${ NODES } nodes (one agent per node), from helm template:`);
if (process.argv.includes('--markdown')) {
  print(`| ${ header.join(' | ') } |\n|${ header.map(() => '---').join('|') }|`);
  rows.forEach((r) => print(`| ${ r.join(' | ') } |`));
} else {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');

  print(line(header));
  rows.forEach((r) => print(line(r)));
}
