/**
 * The pages at Harvester scale, in the real dashboard (the e2e build, Debian's Chromium, the sandbox backend
 * seeded by sandbox/backend/seed/scale.ts into a real kube-apiserver): for the Overview, Traffic Flows, a VM's
 * Network tab and the Security Review, the time from an in-app navigation (the router, as a click on the
 * side nav does) to the first frame showing the page's complete render (timed in the page: render-clock.ts),
 * the API requests in that time (count, bytes, grouped by path, repeats and lists the page does not use
 * flagged) and the peak JS heap; before and after the visits, the edge statement alone in the querier stand-in,
 * for the machine's speed at the time. Prints figures; asserts nothing about them. It fails only when a page does
 * not render or the browser reports an error.
 *
 *   scale-bench.ts            issue 19's sizes (scripts/bench.sh, inside scripts/kube-apiserver.sh run)
 *   scale-bench.ts --smoke    a small seed (scripts/test.sh runs it after the browser tests)
 *   --pages flows,vm          only these pages (ids: overview, flows, vm, security)
 *   --repeat 3                each page this many times (the machine is noisy: the table gives every run and
 *                             the median); every visit in a new browser, the querier stand-in holding nothing
 *   SCALE_BENCH_PROFILE_DIR=d  writes each page's main-thread CPU profile to d/<id>.cpuprofile (DevTools opens it)
 */
import fs from 'fs';
import path from 'path';
import { CDPSession } from 'playwright-core';
import { performance } from 'perf_hooks';
import { stats } from './measure';
import {
  FLOWS_RENDERED, PEERS_LISTED, RenderedWhen, renderedAfter, routerPush
} from './render-clock';
import { queryFormBody } from '../../pkg/harvester-network-monitoring/domain/flows/query/querier-client';
import { flowsEdgesQuery } from '../../pkg/harvester-network-monitoring/domain/flows/view/view-flows';
import { queryWindowFor } from '../../pkg/harvester-network-monitoring/domain/flows/view/view-time';
import { ThreadNames, cpuBetween, sampleCpu } from './process-cpu';
import { readKubeEnv } from '../../sandbox/kube/client';
import { E2eBackend } from '../../sandbox/backend/server';
import { buildDashboard } from '../../sandbox/dashboard/build';
import { DASHBOARD_DIR } from '../../sandbox/paths';
import { publishedExtension } from '../../sandbox/published-repo';
import {
  FULL_SCALE, SMOKE_SCALE, buildScaleCluster, scaleCounts
} from '../../sandbox/backend/seed/scale';
import { CLUSTER_ID } from '../../sandbox/backend/seed/constants';
import { CLUSTER_TYPES } from '../../sandbox/backend/types';
import { collectionName } from '../../sandbox/backend/steve';
import {
  Session, closeSession, openSession, pagePath, vmPath
} from '../e2e/harness/browser';

const RENDER_TIMEOUT = 120_000;
/** Requests that start this long after the render still belong to the page (late lists, follow-up queries). */
const SETTLE_MS = 1500;
const HEAP_POLL_MS = 50;
/** A generated two-NIC VM (seed/scale.ts names them `<role>-<i>` in vm-scale-<nn>). */
const VM = { namespace: 'vm-scale-00', name: 'web-0' };
const CLUSTER_API = new RegExp(`^/k8s/clusters/${ CLUSTER_ID }/v1/(?:harvester/)?([^/?]+)(/[^?]*)?$`);

interface PageSpec {
  id: string;
  label: string;
  /** Where the router goes. */
  path: string;
  /** The page's complete render: what it shows once every part has loaded. */
  rendered: RenderedWhen;
  /** The cluster types the page shows or computes from; any other list loaded in its window is flagged. */
  uses: string[];
}

/** Shell and Harvester types every page of the product may read (schemas, counts, settings, the VM page's own). */
const SHELL_TYPES = ['schemas', 'counts', 'harvesterhci.io.setting', 'namespace', 'management.cattle.io.setting'];

const PAGES: PageSpec[] = [
  {
    id:       'overview',
    label:    'Overview',
    path:     pagePath(),
    // The agents table's summary line, once its statistics query answered (the loading line is gone).
    rendered: { visible: ['[data-testid="agent-health-summary"]'], absent: ['[data-testid="agent-health-loading"]'] },
    uses:     ['harvesterhci.io.addon', 'helm.cattle.io.helmchart', 'apps.daemonset', 'apps.deployment', 'apps.statefulset', 'node', 'pod', 'event', 'network.harvesterhci.io.vlanstatus'],
  },
  {
    id:       'flows',
    label:    'Traffic Flows',
    path:     pagePath('flows'),
    rendered: FLOWS_RENDERED,
    uses:     ['harvesterhci.io.addon', 'helm.cattle.io.helmchart', 'apps.daemonset', 'apps.deployment', 'apps.statefulset', 'node', 'pod', 'kubevirt.io.virtualmachine', 'kubevirt.io.virtualmachineinstance', 'service', 'k8s.cni.cncf.io.networkattachmentdefinition', 'networking.k8s.io.networkpolicy'],
  },
  {
    id:       'vm',
    label:    'VM Network tab',
    path:     `${ vmPath(VM.namespace, VM.name) }#network-monitoring`,
    // The path's hash selects the tab.
    rendered: PEERS_LISTED,
    // The detail page's own (Harvester's VM page, with its Events tab) and the tab's.
    uses:     ['kubevirt.io.virtualmachine', 'kubevirt.io.virtualmachineinstance', 'pod', 'node', 'service', 'k8s.cni.cncf.io.networkattachmentdefinition', 'networking.k8s.io.networkpolicy', 'harvesterhci.io.addon', 'helm.cattle.io.helmchart', 'apps.daemonset', 'apps.deployment', 'apps.statefulset', 'event', 'persistentvolumeclaim', 'harvesterhci.io.keypair', 'kubevirt.io.virtualmachineinstancemigration', 'harvesterhci.io.virtualmachinebackup', 'harvesterhci.io.virtualmachinerestore', 'storage.k8s.io.storageclass', 'longhorn.io.setting', 'harvesterhci.io.virtualmachineimage'],
  },
  {
    id:       'security',
    label:    'Security Review',
    path:     pagePath('security-review'),
    // Score, drift, who can read flows, the VMs' policy coverage and the findings with their filters.
    rendered: { visible: ['[data-testid="findings-filters"]', '[data-testid="flow-readers"]', '[data-testid="policy-coverage"]'] },
    // Pods: the VMs' launcher pods (policy coverage).
    uses:     ['harvesterhci.io.addon', 'helm.cattle.io.helmchart', 'apps.daemonset', 'apps.deployment', 'apps.statefulset', 'node', 'pod', 'batch.job', 'service', 'networking.k8s.io.ingress', 'networking.k8s.io.networkpolicy', 'serviceaccount', 'rbac.authorization.k8s.io.role', 'rbac.authorization.k8s.io.rolebinding', 'rbac.authorization.k8s.io.clusterrole', 'rbac.authorization.k8s.io.clusterrolebinding', 'configmap', 'secret', 'kubevirt.io.virtualmachine'],
  },
];

interface ApiRequest { method: string; url: string; post: string; bytes: number; done: boolean; started: number; ended: number }

interface PageFigures {
  ms: number;
  /** Of `ms`, how long the browser's main thread was busy (the rest it waited, mostly for the backend). */
  busyMs: number;
  requests: number;
  bytes: number;
  heapMb: number;
  repeats: string[];
  unused: string[];
  /** CPU time per process group from the navigation to the render (process-cpu.ts): what shared the cores. */
  cpu: { group: string; ms: number }[];
  /** Per path: count, bytes, and when the first started and the last ended (ms after the navigation). */
  groups: { key: string; count: number; bytes: number; from: number; to: number }[];
}

/** Records the API requests of one measurement window through the DevTools protocol. */
class RequestLog {
  readonly requests = new Map<string, ApiRequest>();
  recording = false;

  constructor(cdp: CDPSession, base: string) {
    cdp.on('Network.requestWillBeSent', (e) => {
      const url = new URL(e.request.url);

      if (this.recording && url.origin === base && /^\/(v1|v3|k8s|meta)(\/|$)/.test(url.pathname)) {
        this.requests.set(e.requestId, {
          method: e.request.method, url: `${ url.pathname }${ url.search }`, post: e.request.postData || '', bytes: 0, done: false, started: performance.now(), ended: 0
        });
      }
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = this.requests.get(e.requestId);

      if (r) {
        r.bytes = e.encodedDataLength;
        r.done = true;
        r.ended = performance.now();
      }
    });
    cdp.on('Network.loadingFailed', (e) => {
      const r = this.requests.get(e.requestId);

      if (r) {
        r.done = true;
      }
    });
  }

  start(): void {
    this.requests.clear();
    this.recording = true;
  }

  /** Waits for the requests in flight to finish, then stops recording. */
  async stop(): Promise<ApiRequest[]> {
    const deadline = performance.now() + RENDER_TIMEOUT;

    while ([...this.requests.values()].some((r) => !r.done) && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.recording = false;

    return [...this.requests.values()];
  }
}

/** The type of the Steve list a request reads, if it is one (`<steve>/<collection>[/<namespace>]`, no name). */
function listedType(url: string): string | undefined {
  const match = new URL(url, 'http://x').pathname.match(CLUSTER_API);

  if (!match || (match[2] && match[2].split('/').filter(Boolean).length > 1)) {
    return undefined;
  }
  const collection = decodeURIComponent(match[1]);

  return CLUSTER_TYPES.find((d) => collectionName(d) === collection)?.id || collection;
}

function summarize(spec: PageSpec, requests: ApiRequest[], start: number): Omit<PageFigures, 'ms' | 'busyMs' | 'heapMb' | 'cpu'> {
  const groups = new Map<string, PageFigures['groups'][number]>();
  const seen = new Map<string, number>();

  for (const r of requests) {
    // Querier statements apart by their table (one per view: edges, talkers, records).
    const table = /\bFROM\s+(\S+)/i.exec(new URLSearchParams(r.post).get('sql') || '')?.[1];
    const key = `${ r.method } ${ r.url.replace(/\?.*$/, '') }${ table ? ` ${ table }` : '' }`;
    const group = groups.get(key) || {
      key, count: 0, bytes: 0, from: Infinity, to: 0
    };

    group.count++;
    group.bytes += r.bytes;
    group.from = Math.min(group.from, r.started - start);
    group.to = Math.max(group.to, (r.ended || r.started) - start);
    groups.set(key, group);
    const exact = `${ r.method } ${ r.url } ${ r.post }`;

    seen.set(exact, (seen.get(exact) || 0) + 1);
  }
  const repeats = [...seen.entries()].filter(([, n]) => n > 1).map(([k, n]) => `${ n }× ${ k.length > 200 ? `${ k.slice(0, 200) }…` : k }`);
  const unused = [...new Set(requests.map((r) => listedType(r.url)).filter((t): t is string => !!t))]
    .filter((t) => !spec.uses.includes(t) && !SHELL_TYPES.includes(t));

  return {
    requests: requests.length,
    bytes:    requests.reduce((s, r) => s + r.bytes, 0),
    repeats,
    unused,
    groups:   [...groups.values()].sort((a, b) => b.bytes - a.bytes),
  };
}

async function metric(cdp: CDPSession, name: string): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');

  return metrics.find((m) => m.name === name)?.value || 0;
}

const heapUsed = (cdp: CDPSession) => metric(cdp, 'JSHeapUsedSize');
/** Seconds the page's main thread has been busy with tasks (scripts, style, layout, paint) since it opened. */
const mainThreadBusy = (cdp: CDPSession) => metric(cdp, 'TaskDuration');

/**
 * How fast this machine is at the time: Traffic Flows' edge statement alone in the querier stand-in (work of the
 * same kind as the pages'; the median of three after one to warm its code). This shared machine's speed changes
 * by the hour, with no time stolen by the hypervisor: every page measured about a third slower in one run than
 * in another an hour before. Read page figures beside it.
 */
async function machineReference(backend: E2eBackend): Promise<string> {
  const body = queryFormBody(flowsEdgesQuery(queryWindowFor('1h', Date.now()), undefined));
  const times: number[] = [];

  for (let run = 0; run < 4; run++) {
    backend.forgetQuerierAnswers();
    const t = performance.now();
    const { status, text } = await backend.askQuerier(body);

    if (status !== 200) {
      throw new Error(`the querier stand-in refused the edge statement: ${ text.slice(0, 300) }`);
    }
    times.push(performance.now() - t);
  }

  return `${ stats(times.slice(1)).median.toFixed(0) } ms`;
}

async function measurePage(session: Session, cdp: CDPSession, log: RequestLog, spec: PageSpec, threads: ThreadNames): Promise<PageFigures> {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = { peak: await heapUsed(cdp), polling: true };
  const poll = (async() => {
    while (heap.polling) {
      heap.peak = Math.max(heap.peak, await heapUsed(cdp).catch(() => 0));
      await new Promise((resolve) => setTimeout(resolve, HEAP_POLL_MS));
    }
  })();

  const profile = process.env.SCALE_BENCH_PROFILE_DIR;

  if (profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  log.start();
  const busyBefore = await mainThreadBusy(cdp);
  const cpuBefore = sampleCpu(threads);
  const start = performance.now();

  await routerPush(session.page, spec.path);
  const ms = await renderedAfter(session.page, spec.rendered, RENDER_TIMEOUT);
  const cpuMs = cpuBetween(cpuBefore, sampleCpu(threads));
  const busyMs = (await mainThreadBusy(cdp) - busyBefore) * 1000;

  if (profile) {
    const { profile: cpuProfile } = await cdp.send('Profiler.stop');

    fs.mkdirSync(profile, { recursive: true });
    fs.writeFileSync(path.join(profile, `${ spec.id }.cpuprofile`), JSON.stringify(cpuProfile));
  }

  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const requests = await log.stop();

  heap.polling = false;
  await poll;

  return {
    ms, busyMs, cpu: cpuMs, heapMb: heap.peak / 2 ** 20, ...summarize(spec, requests, start)
  };
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(2);

function printPage(spec: PageSpec, f: PageFigures): void {
  console.log(`\n${ spec.label }: ${ f.ms.toFixed(0) } ms (main thread busy ${ f.busyMs.toFixed(0) } ms), ${ f.requests } API requests, ${ mb(f.bytes) } MB, peak JS heap ${ f.heapMb.toFixed(0) } MB`);
  console.log(`  CPU in that time: ${ f.cpu.filter((c) => c.ms >= 10).map((c) => `${ c.group } ${ c.ms.toFixed(0) } ms`).join(', ') }`);
  f.groups.forEach((g) => console.log(`  ${ String(g.count).padStart(3) }× ${ mb(g.bytes).padStart(7) } MB  ${ `${ g.from.toFixed(0) }–${ g.to.toFixed(0) } ms`.padStart(14) }  ${ g.key }`));
  f.repeats.forEach((r) => console.log(`  REPEATED: ${ r }`));
  f.unused.forEach((t) => console.log(`  NOT USED BY THE PAGE: list of ${ t }`));
}

async function main(): Promise<void> {
  const smoke = process.argv.includes('--smoke');
  const only = process.argv.includes('--pages') ? process.argv[process.argv.indexOf('--pages') + 1]?.split(',') : undefined;
  const pages = PAGES.filter((p) => !only || only.includes(p.id));
  const repeat = process.argv.includes('--repeat') ? Number(process.argv[process.argv.indexOf('--repeat') + 1]) : 1;

  if (!Number.isInteger(repeat) || repeat < 1) {
    throw new Error('--repeat takes a whole number of runs, 1 or more');
  }

  if (!pages.length) {
    throw new Error(`--pages names no page; the pages are ${ PAGES.map((p) => p.id).join(', ') }`);
  }
  const size = smoke ? SMOKE_SCALE : FULL_SCALE;
  let t = performance.now();
  const seed = buildScaleCluster(size);
  const counts = scaleCounts(seed);

  console.log(`scale bench (${ smoke ? 'smoke' : 'full' }): ${ Object.entries(counts).map(([k, v]) => `${ v } ${ k }`).join(', ') }; generated in ${ ((performance.now() - t) / 1000).toFixed(1) } s`);
  const extension = await publishedExtension();

  await buildDashboard();
  const backend = new E2eBackend({
    kubeEnv: readKubeEnv(), dashboardDir: DASHBOARD_DIR, extensions: [extension], seed
  });

  t = performance.now();
  process.env.E2E_URL = await backend.start();
  await backend.installStack();
  console.log(`seeded into the kube-apiserver and the stack installed in ${ ((performance.now() - t) / 1000).toFixed(1) } s`);
  const results: { spec: PageSpec; figures: PageFigures }[] = [];
  const problems: string[] = [];
  const reference = smoke ? '' : await machineReference(backend);
  // The querier stand-in's CPU apart from the rest of this process's threads (V8's helpers among them).
  const threads: ThreadNames = new Map(backend.querierThreadIds().map((tid) => [tid, 'querier stand-in threads']));

  // One visit of a page, in a browser of its own, as a user who opens it first: nothing another visit listed is
  // cached, and the querier stand-in holds no total from an earlier statement.
  const visit = async(spec: PageSpec): Promise<PageFigures> => {
    backend.forgetQuerierAnswers();
    const session = await openSession();

    try {
      const cdp = await session.context.newCDPSession(session.page);

      await cdp.send('Performance.enable');
      await cdp.send('Network.enable');
      const log = new RequestLog(cdp, session.base);

      // Boot on Harvester's support page (it loads none of the measured pages' data) until the side nav shows
      // our group, then navigate in the app.
      t = performance.now();
      await session.page.goto(`/harvester/c/${ CLUSTER_ID }/support`);
      await session.page.getByRole('heading', { name: 'Support', exact: true }).waitFor({ timeout: RENDER_TIMEOUT });
      await session.page.locator('nav').getByText('Network Monitoring', { exact: true }).waitFor({ timeout: RENDER_TIMEOUT });
      console.log(`\n(dashboard booted in ${ (performance.now() - t).toFixed(0) } ms)`);

      return await measurePage(session, cdp, log, spec, threads);
    } finally {
      problems.push(...session.problems);
      await closeSession(session);
    }
  };

  try {
    for (const spec of pages) {
      // Unmeasured: the sandbox's informers and the querier stand-in's code warm, as in a cluster and a DeepFlow
      // server that have run for a while (the stand-in is JavaScript: its first statements run unoptimized).
      // The smoke run's figures are not read.
      if (!smoke) {
        await visit(spec);
      }
      for (let run = 0; run < repeat; run++) {
        const figures = await visit(spec);

        results.push({ spec, figures });
        printPage(spec, figures);
      }
    }
    if (reference) {
      console.log(`\nmachine reference (the edge statement alone in the querier stand-in): ${ reference } before the visits, ${ await machineReference(backend) } after`);
    }
  } finally {
    await backend.stop();
  }
  console.log(`\n${ 'page'.padEnd(18) }${ 'render ms'.padStart(10) }${ 'busy ms'.padStart(9) }${ 'requests'.padStart(10) }${ 'MB'.padStart(8) }${ 'heap MB'.padStart(9) }${ 'repeats'.padStart(9) }${ 'unused'.padStart(8) }`);
  results.forEach(({ spec, figures: f }) => console.log(`${ spec.label.padEnd(18) }${ f.ms.toFixed(0).padStart(10) }${ f.busyMs.toFixed(0).padStart(9) }${ String(f.requests).padStart(10) }${ mb(f.bytes).padStart(8) }${ f.heapMb.toFixed(0).padStart(9) }${ String(f.repeats.length).padStart(9) }${ String(f.unused.length).padStart(8) }`));
  if (repeat > 1) {
    pages.forEach((spec) => {
      const runs = results.filter((r) => r.spec === spec).map((r) => r.figures);

      console.log(`${ `${ spec.label } median`.padEnd(18) }${ stats(runs.map((f) => f.ms)).median.toFixed(0).padStart(10) }${ stats(runs.map((f) => f.busyMs)).median.toFixed(0).padStart(9) }`);
    });
  }
  problems.forEach((p) => console.log(`browser problem: ${ p }`));
  if (problems.length) {
    throw new Error(`${ problems.length } browser problem(s) while the pages loaded (above)`);
  }
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
