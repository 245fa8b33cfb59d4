/**
 * Traffic Flows and the VM "Network" tab with the stack installed, against the querier stand-in
 * evaluating the extension's real SQL over the seeded flow edges. Expectations are derived from
 * the seed (sandbox/backend/seed), so they follow it: who talks to whom, which edges stopped
 * hours ago (only a long time range shows them), and the hostile names the seed carries.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import expect from 'expect';
import { Page } from 'playwright-core';
import {
  Session, closeSession, control, openSession, pagePath, screenshot, unexpectedProblems, vmPath
} from '../harness/browser';
import { FlowEndpoint, LONG_VM_NAME, buildCluster } from '../../../sandbox/backend/seed/cluster';
import { FlowEdge, buildFlowEdges } from '../../../sandbox/backend/seed/flows';
import { HOSTILE } from '../../../sandbox/backend/seed/hostile';
import { hashString } from '../../../sandbox/backend/seed/random';
import { deploymentOfReplicaSet } from '../../../pkg/harvester-network-monitoring/domain/flows/enrichment/workloads';

// ---------------------------------------------------------------------------------------------
// What the seed implies

const SEED = buildCluster();
const EDGES = buildFlowEdges(SEED.endpoints);

/** The querier stand-in's rule (backend/querier.ts, STOPPED_EDGE_MODULUS): these edges stopped between 6 and 2 hours ago. */
function stoppedHoursAgo(e: FlowEdge): boolean {
  return hashString(`${ e.client.ip }|${ e.server.ip }|${ e.protocol }|${ e.serverPort }`) % 5 === 0;
}

/** Edges with traffic in the last hour (and 15 minutes), and those of the last 24 hours. */
const RECENT = EDGES.filter((e) => !stoppedHoursAgo(e));
const DAY = EDGES;

const PRIVATE = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/;
const EXTERNAL_PRIVATE = 'External (private addresses)';
const EXTERNAL_PUBLIC = 'External (public addresses)';

const vmOf = (e: FlowEndpoint) => e.app;
const namespaceOf = (e: FlowEndpoint) => e.app.split('/')[0];

/** The extension shows at most 120 characters of a name (then an ellipsis). */
const shown = (name: string, max = 120) => (name.length > max ? `${ name.slice(0, max - 1) }\u2026` : name);

/** How the flow views name an endpoint: `<namespace>/<vm>`, `<namespace>/<pod>`, a node's name, an external address. */
function displayName(e: FlowEndpoint): string {
  switch (e.role) {
  case 'vm': return vmOf(e);
  case 'node': return e.auto_instance;
  case 'external': return e.ip;
  default: return shown(`${ e.pod_ns }/${ e.pod }`);
  }
}

/** The traffic map's node for an endpoint: namespaces grouped unless opened, Harvester nodes, two external groups. */
function mapNode(e: FlowEndpoint, focus = ''): string {
  if (e.role === 'external') {
    return PRIVATE.test(e.ip) ? EXTERNAL_PRIVATE : EXTERNAL_PUBLIC;
  }
  if (e.role === 'node') {
    return e.auto_instance;
  }
  if (namespaceOf(e) !== focus) {
    return namespaceOf(e);
  }

  if (e.role === 'vm') {
    return e.app.split('/')[1];
  }

  // Pods of an opened namespace are grouped by workload: the seed's pods are owned by ReplicaSets (pod_group).
  return e.pod_group ? `workload:${ deploymentOfReplicaSet(e.pod_group, '') || e.pod_group }` : e.pod;
}

function mapModel(edges: FlowEdge[], focus = ''): { nodes: Set<string>; connections: number } {
  const nodes = new Set<string>();
  const connections = new Set<string>();

  edges.forEach((e) => {
    const [a, b] = [mapNode(e.client, focus), mapNode(e.server, focus)];

    nodes.add(a);
    nodes.add(b);
    connections.add(`${ a } -> ${ b }`);
  });

  return { nodes, connections: connections.size };
}

/** A drawn map label is a node's name, or that name shortened (ends with an ellipsis). */
const labelOf = (text: string, names: Set<string>) => names.has(text) || (text.endsWith('\u2026') && [...names].some((n) => n.startsWith(text.slice(0, -1))));

const mapSummary = (m: { nodes: Set<string>; connections: number }) => `${ m.nodes.size } nodes, ${ m.connections } connections`;

/** Per VM (`ns/name`): bytes per minute of its recent edges, before the querier's per-minute variation. */
function vmRates(edges: FlowEdge[]): Map<string, number> {
  const rates = new Map<string, number>();

  edges.forEach((e) => [e.client, e.server].filter((s) => s.role === 'vm').forEach((s) => {
    rates.set(vmOf(s), (rates.get(vmOf(s)) ?? 0) + e.byteTx + e.byteRx);
  }));

  return rates;
}

/** A VM's peers (display name -> direction as the Network tab words it). */
function peersOf(vm: string, edges: FlowEdge[]): Map<string, string> {
  const peers = new Map<string, string>();
  const note = (peer: FlowEndpoint, direction: string) => {
    const name = displayName(peer);
    const before = peers.get(name);

    peers.set(name, before && before !== direction ? 'Both directions' : direction);
  };

  edges.forEach((e) => {
    if (e.client.role === 'vm' && vmOf(e.client) === vm && !(e.server.role === 'vm' && vmOf(e.server) === vm)) {
      note(e.server, 'Outbound');
    } else if (e.server.role === 'vm' && vmOf(e.server) === vm && !(e.client.role === 'vm' && vmOf(e.client) === vm)) {
      note(e.client, 'Inbound');
    }
  });

  return peers;
}

const KNOWN_NAMES = new Set(SEED.endpoints.map(displayName));

// ---------------------------------------------------------------------------------------------
// Reading the page

interface Cell { name: string; text: string }

/**
 * The rows of one of our tables: the shell's SortableTable (`<testid>-list-container`, rows `tr.main-row`), or the
 * traffic map's conversation list (`<testid>-row`).
 */
const rowsOf = (testid: string) => `[data-testid="${ testid }-row"], [data-testid="${ testid }-list-container"] > table > tbody > tr.main-row`;
/** What a SortableTable shows without rows. */
const noRowsOf = (testid: string) => `[data-testid="${ testid }-list-container"] > table > tbody > tr.no-rows`;

/** The rows of one of our tables: per cell the endpoint name it shows (if any) and its whole text. */
function tableRows(page: Page, testid: string): Promise<Cell[][]> {
  return page.locator(rowsOf(testid)).evaluateAll((rows) => rows.map((tr) => [...(tr as HTMLTableRowElement).cells].map((td) => {
    const name = td.querySelector('[data-testid="flow-endpoint-link"], [data-testid="flow-endpoint-name"]');

    return { name: (name ? name.textContent : td.textContent)?.trim() ?? '', text: td.textContent?.replace(/\s+/g, ' ').trim() ?? '' };
  })));
}

/** "17.9 GiB" -> bytes. */
function parseBytes(text: string): number {
  const m = /^([\d.]+) (B|KiB|MiB|GiB|TiB|PiB)$/.exec(text.trim());

  if (!m) {
    throw new Error(`not a byte size: ${ JSON.stringify(text) }`);
  }

  return Number(m[1]) * 1024 ** ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'].indexOf(m[2]);
}

/** Picks an option of one of the shell's LabeledSelects. */
async function choose(page: Page, testid: string, option: string): Promise<void> {
  await page.getByTestId(testid).click();
  await page.locator('.vs__dropdown-option').filter({ hasText: new RegExp(`^\\s*${ option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') }\\s*$`) }).click();
}

/**
 * The traffic map is one canvas whose labels are fillText calls: this records, per paint, which
 * labels were drawn and where (CSS pixels from the canvas's top left), so the test can read what a
 * user sees and click a node. It only observes; the extension's drawing is unchanged.
 */
function recordMapPaints(): void {
  const proto = CanvasRenderingContext2D.prototype;
  const { clearRect, fillText } = proto;
  const state: { labels: { text: string; x: number; y: number; w: number }[]; paintedAt: number; paints: number } = { labels: [], paintedAt: 0, paints: 0 };
  const isMap = (ctx: CanvasRenderingContext2D) => ctx.canvas?.dataset?.testid === 'map-canvas';

  (window as any).__e2eMap = state;
  // Every paint starts by clearing the whole canvas.
  proto.clearRect = function(this: CanvasRenderingContext2D, ...args: Parameters<typeof clearRect>) {
    if (isMap(this)) {
      state.labels = [];
      state.paintedAt = performance.now();
      state.paints++;
    }

    return clearRect.apply(this, args);
  };
  proto.fillText = function(this: CanvasRenderingContext2D, ...args: Parameters<typeof fillText>) {
    if (isMap(this)) {
      state.labels.push({
        text: args[0], x: args[1], y: args[2], w: this.measureText(args[0]).width
      });
    }

    return fillText.apply(this, args);
  };
}

interface MapLabel { text: string; x: number; y: number; w: number }

/** The labels of the map's last paint, once the layout has stopped moving (no paint for 400 ms). */
async function settledMapLabels(page: Page): Promise<MapLabel[]> {
  await page.waitForFunction(() => {
    const m = (window as any).__e2eMap;

    return m && m.paints > 0 && performance.now() - m.paintedAt > 400;
  }, null, { polling: 100, timeout: 15000 });

  return page.evaluate(() => (window as any).__e2eMap.labels);
}

/** Pixels of the map painted exactly in a node kind's fill color (traffic-map-paint.ts FALLBACK_COLORS.kinds). */
function pixelsOfColor(page: Page, rgb: [number, number, number]): Promise<number> {
  return page.getByTestId('map-canvas').evaluate((canvas: HTMLCanvasElement, [r, g, b]) => {
    const data = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;

    for (let i = 0; i < data.length; i += 4) {
      if (data[i] === r && data[i + 1] === g && data[i + 2] === b && data[i + 3] === 255) {
        n++;
      }
    }

    return n;
  }, rgb);
}

/**
 * Puts the pointer on the map node labelled `label` and returns the point, once the map's tooltip
 * names it. A label sits next to its node's circle (domain/flows/graph/labels.ts): right or left of
 * it, or centered above or below, so the node is just beside one of the label's sides.
 */
async function pointAtNode(page: Page, label: string, tooltip: string): Promise<{ x: number; y: number }> {
  await page.getByTestId('map-canvas').scrollIntoViewIfNeeded();
  const drawn = (await settledMapLabels(page)).find((l) => l.text === label);

  expect(drawn).toBeDefined();
  const box = (await page.getByTestId('map-canvas').boundingBox())!;
  const seen: string[] = [];

  const l = drawn!;
  const spots = [5, 8, 12, 18, 26].flatMap((d) => [
    { x: l.x - d, y: l.y }, { x: l.x + l.w + d, y: l.y }, { x: l.x + l.w / 2, y: l.y - 7 - d }, { x: l.x + l.w / 2, y: l.y + 7 + d },
  ]);

  for (const spot of spots) {
    const at = { x: box.x + spot.x, y: box.y + spot.y };

    await page.mouse.move(at.x, at.y);
    const text = await page.getByTestId('map-tooltip').textContent({ timeout: 1000 }).catch(() => '');

    if (text?.includes(tooltip)) {
      return at;
    }
    seen.push(text?.replace(/\s+/g, ' ').trim() || '(no tooltip)');
  }
  throw new Error(`no point beside the label ${ label } shows the tooltip "${ tooltip }"; seen: ${ seen.join(' | ') }`);
}

const mapCanvas = (page: Page, summary: string) => page.locator(`[data-testid="map-canvas"][aria-label="${ summary }"]`);

async function waitForRecords(page: Page): Promise<void> {
  await page.locator(`${ rowsOf('records-table') }, ${ noRowsOf('records-table') }:not(:has-text("Loading"))`).first().waitFor();
  await page.locator('[data-testid="records-apply"]:not([disabled])').waitFor();
}

async function applyRecordFilters(page: Page, filters: { ip?: string; port?: string; pod?: string; protocol?: string }): Promise<void> {
  if (filters.protocol !== undefined) {
    await choose(page, 'records-filter-protocol', filters.protocol);
  }
  for (const field of ['ip', 'port', 'pod'] as const) {
    if (filters[field] !== undefined) {
      // The shell's LabeledInput puts its attributes (our test id) on the <input> itself.
      await page.getByTestId(`records-filter-${ field }`).fill(filters[field] as string);
    }
  }
  await page.getByTestId('records-apply').click();
  await waitForRecords(page);
}

async function noXss(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
  await expect(page.locator('img[src="x"], svg[onload], [onerror], [onload]').count()).resolves.toBe(0);
}

// ---------------------------------------------------------------------------------------------

describe('Traffic Flows and the VM Network tab in the real dashboard', () => {
  let session: Session;

  before(async() => {
    await control('POST', 'stack', { installed: true });
    session = await openSession();
    await session.context.addInitScript(recordMapPaints);
  });
  after(() => closeSession(session));
  afterEach(() => expect(unexpectedProblems(session)).toEqual([]));

  it('draws the traffic map, top talkers and flow records from the seeded flows', async() => {
    const { page } = session;
    const map = mapModel(RECENT);

    await page.goto(pagePath('flows'));
    await page.getByRole('heading', { name: 'Traffic Flows', exact: true }).waitFor();
    await page.locator(rowsOf('talkers-table')).first().waitFor();

    // The map: one node per namespace with traffic, Harvester node and external group (15 for this seed).
    expect(map.nodes.size).toBeGreaterThan(10);
    await mapCanvas(page, mapSummary(map)).waitFor();
    const labels = await settledMapLabels(page);

    // Every drawn label is a node's (a crowded one may be shortened, or left for hover: never overlapping).
    expect(labels.filter((l) => !labelOf(l.text, map.nodes))).toEqual([]);
    expect(labels.length).toBeGreaterThan(map.nodes.size / 2);
    expect(labels.map((l) => l.text)).toEqual(expect.arrayContaining(['vm-prod', 'vm-dev']));
    // Nodes are painted, not just labelled: namespaces (#3d98d3), Harvester nodes (#6b7280), external groups (#d97b2b).
    for (const color of [[61, 152, 211], [107, 114, 128], [217, 123, 43]] as [number, number, number][]) {
      expect(await pixelsOfColor(page, color)).toBeGreaterThan(50);
    }

    // Top talkers, virtual machines by bytes: every VM with recent traffic (at most 10), the busiest first.
    const rates = vmRates(RECENT);
    const busiest = [...rates.entries()].sort((a, b) => b[1] - a[1]);
    const talkers = await tableRows(page, 'talkers-table');

    expect(talkers.length).toBe(Math.min(10, rates.size));
    expect(talkers[0][0].name).toBe(busiest[0][0]);
    talkers.forEach((row) => expect(rates.has(row[0].name)).toBe(true));
    expect(parseBytes(talkers[0][1].text)).toBeGreaterThan(parseBytes(talkers[talkers.length - 1][1].text));

    // Pods: loaded when asked for, ranked by DeepFlow's pod tag (VMs' virt-launcher pods are not tagged).
    const sides = RECENT.flatMap((e) => [e.client, e.server]);
    const podNames = [...new Set(sides.filter((e) => e.pod !== '' && e.role !== 'vm').map(displayName))];
    const talkerNames = (names: string[]) => page.waitForFunction(([expected, rows]) => {
      const cells = [...document.querySelectorAll(rows)].map((tr) => (tr as HTMLTableRowElement).cells[0]?.textContent?.trim() ?? '');

      return cells.length === Math.min(10, expected.length) && cells.every((c) => expected.includes(c)) &&
        !document.querySelector('button[disabled] [data-testid="talkers-group-vm"]');
    }, [names, rowsOf('talkers-table')] as const);

    await page.locator('button:has([data-testid="talkers-group-pod"])').click();
    await talkerNames(podNames);
    const pods = await tableRows(page, 'talkers-table');

    pods.slice(1).forEach((row, i) => expect(parseBytes(row[1].text)).toBeLessThanOrEqual(parseBytes(pods[i][1].text)));
    await expect(page.locator('button:has([data-testid="talkers-group-pod"])').getAttribute('aria-pressed')).resolves.toBe('true');
    await page.getByTestId('flow-talkers').scrollIntoViewIfNeeded();
    await screenshot(session, 'flows-talkers-pods');

    // Namespaces: pod_ns tag totals plus the untagged traffic of each namespace's VMs, by connections.
    const namespaces = [...new Set(sides.filter((e) => e.role === 'vm' || e.pod_ns !== '').map((e) => (e.role === 'vm' ? namespaceOf(e) : e.pod_ns)))];

    await page.locator('button:has([data-testid="talkers-group-namespace"])').click();
    await page.locator('button:has([data-testid="talkers-rank-connections"])').click();
    await page.locator('button[aria-pressed="true"] [data-testid="talkers-rank-connections"]').waitFor();
    await talkerNames(namespaces);
    await screenshot(session, 'flows-talkers-namespaces');

    // Flow records: a full first page, every endpoint one the seed has.
    await waitForRecords(page);
    const records = await tableRows(page, 'records-table');

    expect(records.length).toBe(50);
    records.forEach((row) => {
      expect(KNOWN_NAMES.has(row[1].name)).toBe(true);
      expect(KNOWN_NAMES.has(row[2].name)).toBe(true);
      expect(['TCP', 'UDP']).toContain(row[3].text);
    });
    await expect(page.getByTestId('records-next').isEnabled()).resolves.toBe(true);
    // Sorted by the querier from a header of the shell's table: Bytes, biggest first over the whole range, then flipped.
    const newestBiggest = Math.max(...records.map((row) => parseBytes(row[4].text)));
    const sortedByBytes = (direction: 'desc' | 'asc') => page.waitForFunction(([rows, dir]) => {
      const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
      const bytes = [...document.querySelectorAll(rows)].map((tr) => {
        const [n, unit] = ((tr as HTMLTableRowElement).cells[4]?.textContent ?? '').trim().split(' ');

        return Number(n) * 1024 ** units.indexOf(unit);
      });

      return bytes.length === 50 && !document.querySelector('[data-testid="records-apply"][disabled]') &&
        bytes.every((b, i) => i === 0 || (dir === 'desc' ? b <= bytes[i - 1] : b >= bytes[i - 1]));
    }, [rowsOf('records-table'), direction] as const);
    const bytesHeader = page.locator('[data-testid="records-table-list-container"] th').filter({ hasText: /^Bytes$/ });

    await bytesHeader.click();
    await sortedByBytes('desc');
    expect(parseBytes((await tableRows(page, 'records-table'))[0][4].text)).toBeGreaterThanOrEqual(newestBiggest);
    await bytesHeader.click();
    await sortedByBytes('asc');
    await page.locator('[data-testid="records-table-list-container"] th').filter({ hasText: /^Start$/ }).click();
    await page.waitForFunction((rows) => {
      const starts = [...document.querySelectorAll(rows)].map((tr) => (tr as HTMLTableRowElement).cells[0]?.textContent ?? '');

      return starts.length === 50 && !document.querySelector('[data-testid="records-apply"][disabled]') && starts.every((t, i) => i === 0 || t <= starts[i - 1]);
    }, rowsOf('records-table'));
    expect(await page.locator('body').innerText()).not.toMatch(/%networkMonitoring\.[\w.]+%/);
    await screenshot(session, 'flows-page');
    await page.getByTestId('flow-map').scrollIntoViewIfNeeded();
    await screenshot(session, 'flows-page-map');
  });

  it('narrows talkers, map and records by namespace, record filters and time range, and resets', async() => {
    const { page } = session;

    await page.goto(pagePath('flows'));
    await page.locator(rowsOf('talkers-table')).first().waitFor();
    await waitForRecords(page);

    // Namespace vm-prod: only its VMs talk, the map opens it, every record touches it.
    const prodVms = [...vmRates(RECENT).keys()].filter((vm) => vm.startsWith('vm-prod/'));

    await choose(page, 'flows-namespace', 'vm-prod');
    await page.waitForURL(/[?&]namespace=vm-prod(&|$)/);
    await page.getByTestId('map-focus').filter({ hasText: 'Namespace vm-prod' }).waitFor();
    await page.waitForFunction(([n, rows]) => document.querySelectorAll(rows).length === n &&
      [...document.querySelectorAll(rows)].every((tr) => (tr as HTMLTableRowElement).cells[0]?.textContent?.trim().startsWith('vm-prod/')), [prodVms.length, rowsOf('talkers-table')] as const);
    expect((await tableRows(page, 'talkers-table')).map((r) => r[0].name).sort()).toEqual(prodVms.sort());
    await waitForRecords(page);
    const prodRecords = await tableRows(page, 'records-table');

    expect(prodRecords.length).toBeGreaterThan(0);
    prodRecords.forEach((row) => expect([row[1].name, row[2].name].some((n) => n.startsWith('vm-prod/'))).toBe(true));

    // Back to all namespaces.
    await choose(page, 'flows-namespace', 'All namespaces');
    await page.waitForURL((url) => !url.searchParams.has('namespace'));
    await page.getByTestId('map-focus').waitFor({ state: 'detached' });
    await page.waitForFunction((rows) => [...document.querySelectorAll(rows)].some((tr) => !(tr as HTMLTableRowElement).cells[0]?.textContent?.trim().startsWith('vm-prod/')), rowsOf('talkers-table'));

    // Records by address: only the conversations of 8.8.8.8.
    const withGoogle = (edges: FlowEdge[]) => new Set(edges.filter((e) => e.client.ip === '8.8.8.8' || e.server.ip === '8.8.8.8').map((e) => `${ displayName(e.client) } -> ${ displayName(e.server) }`));
    const pairs = (rows: Cell[][]) => new Set(rows.map((r) => `${ r[1].name } -> ${ r[2].name }`));

    await applyRecordFilters(page, { ip: '8.8.8.8' });
    expect(pairs(await tableRows(page, 'records-table'))).toEqual(withGoogle(RECENT));

    // Port and protocol: DNS over UDP, answered by CoreDNS only.
    const coredns = new Set(SEED.endpoints.filter((e) => e.app === 'kube-system/coredns').map(displayName));

    await applyRecordFilters(page, { ip: '', port: '53', protocol: 'UDP' });
    const dns = await tableRows(page, 'records-table');

    expect(dns.length).toBe(50);
    dns.forEach((row) => {
      expect(row[3].text).toBe('UDP');
      expect(row[2].text).toMatch(/:53$/);
      expect(coredns.has(row[2].name)).toBe(true);
    });

    // A port out of range is refused before any query.
    await page.getByTestId('records-filter-port').fill('70000');
    await page.getByTestId('records-apply').click();
    await page.getByTestId('records-errors').getByText('The port must be a whole number from 0 to 65535.').waitFor();

    // Clear: every protocol and port again.
    await page.getByTestId('records-clear').click();
    await page.getByTestId('records-errors').waitFor({ state: 'detached' });
    await page.waitForFunction((rows) => [...document.querySelectorAll(rows)].some((tr) => (tr as HTMLTableRowElement).cells[3]?.textContent?.trim() === 'TCP'), rowsOf('records-table'));
    await expect(page.getByTestId('records-filter-port').inputValue()).resolves.toBe('');

    // Time range. A VM address whose only conversation stopped hours ago has records in 24 hours, none in the last hour.
    const stoppedOnly = SEED.endpoints.find((s) => s.role === 'vm' && EDGES.some((e) => e.client === s || e.server === s) && !RECENT.some((e) => e.client === s || e.server === s)) as FlowEndpoint;
    const dayMap = mapModel(DAY);

    expect(stoppedOnly).toBeDefined();
    expect(mapSummary(dayMap)).not.toBe(mapSummary(mapModel(RECENT)));
    const busiest = [...vmRates(RECENT).entries()].sort((a, b) => b[1] - a[1])[0][0];
    // The talker view loads on its own: wait until it has settled (its buttons are disabled while it loads).
    const busiestBytes = async() => {
      await page.waitForFunction(() => !document.querySelector('button[disabled] [data-testid="talkers-group-vm"]'));

      return parseBytes((await tableRows(page, 'talkers-table')).find((r) => r[0].name === busiest)![1].text);
    };

    await choose(page, 'flows-range', 'Last 15 minutes');
    await page.waitForURL(/[?&]range=15m(&|$)/);
    await mapCanvas(page, mapSummary(mapModel(RECENT))).waitFor();
    await applyRecordFilters(page, { ip: stoppedOnly.ip });
    await page.locator(noRowsOf('records-table')).getByText('No flow records match these filters in the selected time range.').waitFor();
    const quarterHour = await busiestBytes();

    await choose(page, 'flows-range', 'Last 24 hours (hourly data)');
    await page.waitForURL(/[?&]range=24h(&|$)/);
    // The map gains the connections of the stopped edges, the records their flows, the talkers a day of bytes.
    await mapCanvas(page, mapSummary(dayMap)).waitFor();
    await page.getByTestId('flows-range').scrollIntoViewIfNeeded();
    await screenshot(session, 'flows-page-day');
    await page.locator(rowsOf('records-table')).first().waitFor();
    await waitForRecords(page);
    const old = await tableRows(page, 'records-table');
    const oldPairs = new Set(EDGES.filter((e) => e.client === stoppedOnly || e.server === stoppedOnly).map((e) => `${ displayName(e.client) } -> ${ displayName(e.server) }`));

    expect(old.length).toBeGreaterThan(0);
    expect(pairs(old)).toEqual(oldPairs);
    expect(await busiestBytes()).toBeGreaterThan(quarterHour * 20);

    // Reset: the default range, no record filters.
    await page.getByTestId('records-clear').click();
    await choose(page, 'flows-range', 'Last hour');
    await page.waitForURL(/[?&]range=1h(&|$)/);
    await mapCanvas(page, mapSummary(mapModel(RECENT))).waitFor();
    await page.waitForFunction(([ip, rows]) => document.querySelectorAll(rows).length === 50 &&
      [...document.querySelectorAll(rows)].some((tr) => !tr.textContent?.includes(ip)), [stoppedOnly.ip, rowsOf('records-table')] as const);
    await screenshot(session, 'flows-filtered-reset');
  });

  it('drills down from the map into a namespace and from a top talker into its VM', async() => {
    const { page } = session;

    await page.goto(pagePath('flows'));
    await mapCanvas(page, mapSummary(mapModel(RECENT))).waitFor();
    const at = await pointAtNode(page, 'vm-prod', 'Namespace: vm-prod');

    await page.getByTestId('map-tooltip').filter({ hasText: 'Click to open this namespace.' }).waitFor();
    await page.mouse.click(at.x, at.y);

    // Opened: vm-prod's VMs are nodes of their own, the other namespaces stay grouped.
    const opened = mapModel(RECENT, 'vm-prod');

    await page.getByTestId('map-focus').filter({ hasText: 'Namespace vm-prod' }).waitFor();
    await mapCanvas(page, mapSummary(opened)).waitFor();
    const openedLabels = new Set((await settledMapLabels(page)).map((l) => l.text));

    // Drawn labels are node names; a crowded one may be left for hover, never drawn overlapping.
    expect([...openedLabels].filter((t) => !labelOf(t, opened.nodes))).toEqual([]);
    expect(openedLabels.size).toBeGreaterThan(opened.nodes.size / 2);
    expect(openedLabels.has('vm-prod')).toBe(false);
    expect([...openedLabels]).toEqual(expect.arrayContaining(['web-0', 'api-0', 'db-0', 'vm-dev']));
    await page.getByTestId('flow-map').scrollIntoViewIfNeeded();
    await screenshot(session, 'flows-map-vm-prod');
    // The map as a table lists vm-prod's conversations with links.
    await page.getByTestId('map-toggle-table').click();
    const conversations = await tableRows(page, 'conversations-table');

    expect(conversations.length).toBeGreaterThan(0);
    conversations.forEach((r) => expect([r[0].name, r[1].name].some((n) => n.startsWith('vm-prod/'))).toBe(true));
    await page.getByTestId('map-toggle-table').click();
    await page.getByTestId('map-back').click();
    await mapCanvas(page, mapSummary(mapModel(RECENT))).waitFor();

    // The busiest VM in the talkers table links to its detail page, whose Network tab lists its peers.
    const busiest = [...vmRates(RECENT).entries()].sort((a, b) => b[1] - a[1])[0][0];
    const [namespace, name] = busiest.split('/');

    await page.getByTestId('flow-talkers').getByRole('link', { name: busiest, exact: true }).click();
    await page.waitForURL(`**${ vmPath(namespace, name) }`);
    await page.getByRole('tab', { name: 'Network', exact: true }).click();
    await page.getByTestId('vm-network-tab').getByText(`Network monitoring for ${ name }`).waitFor();
    await page.locator(rowsOf('peers-table')).first().waitFor();
    const expected = peersOf(busiest, RECENT);
    const peers = await tableRows(page, 'peers-table');

    expect(new Map(peers.map((r) => [r[0].name, r[1].text]))).toEqual(expected);
  });

  it("lists a VM's peers in its Network tab, for the chosen time range", async() => {
    const { page } = session;
    // api-0 serves the web VMs and calls the database; some of those conversations stopped hours ago.
    const vm = 'vm-prod/api-0';
    const recent = peersOf(vm, RECENT);
    const day = peersOf(vm, DAY);

    expect(recent.size).toBeGreaterThan(0);
    expect(day.size).toBeGreaterThan(recent.size);

    await page.goto(vmPath('vm-prod', 'api-0'));
    await page.getByRole('tab', { name: 'Network', exact: true }).click();
    const tab = page.getByTestId('vm-network-tab');

    await tab.getByText('Network monitoring for api-0').waitFor();
    await tab.getByTestId('stack-state').getByText('Healthy').waitFor();
    await page.locator(rowsOf('peers-table')).first().waitFor();
    expect(new Map((await tableRows(page, 'peers-table')).map((r) => [r[0].name, r[1].text]))).toEqual(recent);
    // Readable at the harness's 1440 px: the peers table fits the tab, nothing scrolls sideways.
    const widths = await page.getByTestId('peers-table-list-container').evaluate((el) => ({
      table: el.scrollWidth, room: el.clientWidth, page: document.documentElement.scrollWidth, viewport: window.innerWidth
    }));

    expect(widths.table).toBeLessThanOrEqual(widths.room);
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    // Peers that are VMs link to their own detail page.
    await expect(page.getByTestId('peers-table-list-container').getByRole('link', { name: [...recent.keys()][0], exact: true }).getAttribute('href'))
      .resolves.toContain(vmPath(...([...recent.keys()][0].split('/') as [string, string])));
    await page.getByTestId('subject-totals').getByText(`${ recent.size } peers`, { exact: false }).waitFor();
    await page.getByTestId('subject-grafana-page').waitFor();
    expect(await page.locator('body').innerText()).not.toMatch(/%networkMonitoring\.[\w.]+%/);
    await screenshot(session, 'vm-network-tab');
    await page.getByTestId('peers-table-list-container').scrollIntoViewIfNeeded();
    await screenshot(session, 'vm-network-tab-peers');

    await choose(page, 'subject-range', 'Last 24 hours (hourly data)');
    await page.waitForFunction(([n, rows]) => document.querySelectorAll(rows).length === n, [day.size, rowsOf('peers-table')] as const);
    expect(new Map((await tableRows(page, 'peers-table')).map((r) => [r[0].name, r[1].text]))).toEqual(day);
    await page.getByTestId('subject-range').scrollIntoViewIfNeeded();
    await screenshot(session, 'vm-network-tab-day');
  });

  it('shows hostile names as text, never as markup', async() => {
    const { page } = session;

    // A namespace from a crafted link: shown literally, and refused before any SQL is built (not a Kubernetes name).
    for (const hostile of [HOSTILE.imgTag, HOSTILE.svgBreakout, HOSTILE.template, HOSTILE.quotes]) {
      await page.goto(`${ pagePath('flows') }?namespace=${ encodeURIComponent(hostile) }`);
      await page.getByTestId('flow-message-error').filter({ hasText: 'cannot be used as a namespace filter' }).first().waitFor();
      await expect(page.getByTestId('flows-namespace').innerText()).resolves.toContain(hostile);
      await expect(page.getByTestId('flow-message-error').first().innerText()).resolves.toContain(hostile.slice(0, 64));
      await noXss(page);
      if (hostile === HOSTILE.imgTag) {
        await screenshot(session, 'flows-hostile-namespace');
      }
    }
    // Bidirectional overrides are stripped: the name reads as it is.
    await page.goto(`${ pagePath('flows') }?namespace=${ encodeURIComponent(HOSTILE.rtl) }`);
    await page.getByTestId('flow-message-error').filter({ hasText: 'cannot be used as a namespace filter' }).first().waitFor();
    const rtl = await page.getByTestId('flows-namespace').innerText();

    expect(rtl).toContain('evil-rtl');
    expect(rtl).not.toContain('\u202e');

    // A pod named at the 253-character limit: its records show the name shortened, the full name on hover.
    await page.goto(pagePath('flows'));
    await waitForRecords(page);
    await applyRecordFilters(page, { pod: HOSTILE.longName });
    const rows = await tableRows(page, 'records-table');
    const full = `shop/${ HOSTILE.longName }`;

    expect(rows.length).toBeGreaterThan(0);
    rows.forEach((r) => expect(r[1].name).toBe(shown(full)));
    const link = page.locator(rowsOf('records-table')).first().locator('td').nth(1)
      .getByTestId('flow-endpoint');

    await expect(link.getAttribute('title')).resolves.toContain(full);

    // External addresses whose DeepFlow tags hold markup: shown by address, the tags never become elements.
    for (const ip of ['198.51.100.66', '198.51.100.67']) {
      await applyRecordFilters(page, { pod: '', ip });
      const external = await tableRows(page, 'records-table');

      expect(external.length).toBeGreaterThan(0);
      external.forEach((r) => expect([r[1].name, r[2].name]).toContain(ip));
      await noXss(page);
    }

    // In the map, the long pod's label is canvas text (fillText), shortened to 40 characters.
    await choose(page, 'flows-namespace', 'shop');
    await page.getByTestId('map-focus').filter({ hasText: 'Namespace shop' }).waitFor();
    await mapCanvas(page, mapSummary(mapModel(RECENT.filter((e) => namespaceOf(e.client) === 'shop' || namespaceOf(e.server) === 'shop'), 'shop'))).waitFor();
    const shopLabels = (await settledMapLabels(page)).map((l) => l.text);

    const longLabel = shown(HOSTILE.longName, 40);

    // At most 40 characters, shortened further when the label placement has no room for it (or left for hover).
    expect(shopLabels.filter((t) => t.startsWith(longLabel.slice(0, 6))).every((t) => t === longLabel || (t.endsWith('\u2026') && longLabel.startsWith(t.slice(0, -1))))).toBe(true);
    expect(shopLabels.length).toBeGreaterThan(0);
    await noXss(page);
    await page.getByTestId('flow-map').scrollIntoViewIfNeeded();
    await screenshot(session, 'flows-hostile-shop');

    // The VM with markup and quotes in its annotations and a 63-character name: its tab works, nothing is interpreted.
    const vm = `vm-dev/${ LONG_VM_NAME }`;

    await page.goto(vmPath('vm-dev', LONG_VM_NAME));
    await page.getByRole('tab', { name: 'Network', exact: true }).click();
    await page.getByTestId('vm-network-tab').getByText(`Network monitoring for ${ LONG_VM_NAME }`).waitFor();
    await page.locator(rowsOf('peers-table')).first().waitFor();
    expect(new Map((await tableRows(page, 'peers-table')).map((r) => [r[0].name, r[1].text]))).toEqual(peersOf(vm, RECENT));
    await noXss(page);
    await screenshot(session, 'vm-hostile-annotations');
  });
});
