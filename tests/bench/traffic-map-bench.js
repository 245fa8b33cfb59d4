#!/usr/bin/env node
/**
 * The traffic map in the real browser (Debian's Chromium through playwright-core), with the map's own
 * layout, label placement, scene and canvas painter. Prints figures; asserts nothing.
 * 1. Readability: generated maps of 10, 26, 50 and 100 visible nodes (workloads, pods of an opened
 *    workload, VMs, Services, hosts, external groups, with names as long as real ones) are laid out,
 *    fitted to a 1,150 x 520 canvas (the map's size on a 1,440 px wide page) and labelled; the pairs
 *    of nodes that overlap, of labels that overlap and of labels covering a node are counted (goal 0),
 *    with how many labels were drawn in full, shortened or left for hover. A picture of each lands in
 *    tmp/bench-map/readability-<n>.png.
 * 2. Speed at 1,000 nodes and 5,000 edges: time to first draw, paints while the layout settles, label
 *    placement, then frames per second while panning the settled map (zoomed in 2x, 180 frames).
 * The modules are compiled to ES modules in tmp/bench-map and served from 127.0.0.1 (browser-modules.js).
 */
const fs = require('fs');
const path = require('path');
const {
  ROOT, CHROMIUM, compileModules, openModules
} = require('./browser-modules');

const OUT = path.join(ROOT, 'tmp/bench-map');
const ENTRIES = ['domain/flows/graph/viewport.ts', 'components/flows/traffic-map-paint.ts'];
const RUNS = Number(process.env.MAP_BENCH_RUNS || 3);
const SIZES = [10, 26, 50, 100];

const PAGE = `<!doctype html><html><body style="margin:0;background:#fff"><canvas id="c" style="display:block"></canvas>
<script type="module">
import { buildScene, fitViewport, sceneLabels, sceneLayout, screenCircles, panBy, zoomAround } from './domain/flows/graph/viewport.js';
import { countOverlaps } from './domain/flows/graph/labels.js';
import { MapLayer, paintScene, readColors, LABEL_FONT } from './components/flows/traffic-map-paint.js';

const canvas = document.getElementById('c');
const ctx = canvas.getContext('2d');
const ratio = window.devicePixelRatio || 1;
const colors = readColors(canvas);
const widths = new Map();
const measure = (text) => { let w = widths.get(text); if (w === undefined) { ctx.font = LABEL_FONT; w = ctx.measureText(text).width; widths.set(text, w); } return w; };
function size(w, h) { canvas.style.width = w + 'px'; canvas.style.height = h + 'px'; canvas.width = w * ratio; canvas.height = h * ratio; }
function rng(seed) { return () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; }; }
const HASH = 'bcdfghjklmnpqrstvwxz2456789';
const APPS = ['frontend', 'cart', 'catalog', 'checkout', 'redis', 'postgres', 'gateway', 'ledger', 'fraud-detection', 'ingest', 'worker', 'kafka', 'zookeeper', 'report-generator', 'cattle-cluster-agent', 'rke2-coredns-rke2-coredns'];
const edge = (id, s, t, rand) => ({ id, source: s, target: t, bytes: Math.floor(rand() * 1e8), bytesTx: 1, bytesRx: 1, packets: 100, connections: 1,
  failedConnections: 0, retrans: 0, retransRate: rand() * 0.03, rttUs: rand() * 30000, categories: [], selfLoop: s === t });
const graphOf = (nodes, edges) => ({ nodes, edges, totalNodes: nodes.length, totalEdges: edges.length, tooLarge: false, maxNodes: 1500, options: {} });

/** A map of n nodes as an opened namespace shows it: workloads, one opened workload's pods, VMs, Services, hosts, external groups. */
function realistic(n, seed) {
  const rand = rng(seed);
  const hash = (len) => Array.from({ length: len }, () => HASH[Math.floor(rand() * HASH.length)]).join('');
  const nodes = [];
  const add = (kind, label, bytes) => nodes.push({ id: kind + ':' + nodes.length, kind, label, namespace: 'shop', bytes, members: 1 });
  add('external-group', 'Public addresses', 5e8); add('node', 'harvester-node-0', 2e8);
  const pods = Math.min(6, Math.floor(n / 5));
  const opened = APPS[0] + '-' + hash(9) + '-';
  for (let i = 0; nodes.length < n; i++) {
    const r = i % 5;
    const big = Math.pow(rand(), 2) * 1e9;
    if (i < pods) add('pod', opened + hash(5), big);
    else if (r === 0 || r === 3) add('workload', APPS[i % APPS.length] + (i >= APPS.length ? '-' + Math.floor(i / APPS.length) : ''), big);
    else if (r === 1) add('vm', 'vm-' + ['prod', 'dev', 'db', 'web'][i % 4] + '-' + String(i).padStart(2, '0'), big);
    else if (r === 2) add('service', APPS[(i + 3) % APPS.length] + '-svc', big);
    else add('node', 'harvester-node-' + (i % 7 + 1), big);
  }
  const edges = [];
  for (let i = 2; i < n; i++) {
    const hub = Math.floor(Math.pow(rand(), 2) * Math.min(i, 8));
    edges.push(edge('e' + edges.length, nodes[i].id, nodes[hub].id, rand));
    if (rand() < 0.6) edges.push(edge('e' + edges.length, nodes[i].id, nodes[2 + Math.floor(rand() * (n - 2))].id, rand));
  }
  return graphOf(nodes, edges);
}

function settled(scene, aspect) {
  const layout = sceneLayout(scene, [], { aspect });
  while (!layout.done()) layout.tick();
  return layout;
}

window.readability = (n, seed) => {
  const W = 1150, H = 520;
  size(W, H);
  const scene = buildScene(realistic(n, seed), 'rtt');
  const t0 = performance.now();
  const layout = settled(scene, W / H);
  const layoutMs = performance.now() - t0;
  const radii = scene.nodes.map((x) => x.outer);
  const viewport = fitViewport(layout, radii, W, H);
  const t1 = performance.now();
  const placement = sceneLabels(scene, layout, viewport.k, measure, { width: W, height: H });
  const labelMs = performance.now() - t1;
  const circles = screenCircles(scene, layout, viewport.k);
  const overlaps = countOverlaps(circles, placement.labels);
  // Boxes and circles on screen: none may leave the canvas either.
  const offCanvas = placement.labels.filter((l) => l.x + viewport.tx < 0 || l.y + viewport.ty < 0 || l.x + l.w + viewport.tx > W || l.y + l.h + viewport.ty > H).length;
  paintScene(ctx, { scene, positions: layout, viewport, width: W, height: H, pixelRatio: ratio, colors, labels: placement.labels, hoverNode: -1, hoverEdge: -1, focusNode: -1, arrows: scene.edges.length <= 300 });
  return { n, ...overlaps, offCanvas, full: placement.labels.filter((l) => !l.shortened).length, shortened: placement.labels.filter((l) => l.shortened).length,
    hidden: placement.hidden.length, layoutMs, labelMs, k: viewport.k };
};

window.speed = async() => {
  const W = 1200, H = 700;
  size(W, H);
  const rand = rng(42);
  const N = 1000, E = 5000, kinds = ['vm', 'pod', 'service', 'node', 'workload'];
  const nodes = Array.from({ length: N }, (_, i) => ({ id: 'n' + i, kind: kinds[i % 5], label: 'endpoint-' + i, namespace: 'ns' + (i % 20), bytes: Math.floor(Math.pow(rand(), 3) * 1e9), members: 1 }));
  const edges = Array.from({ length: E }, (_, i) => edge('e' + i, 'n' + Math.floor(Math.pow(rand(), 2) * N), 'n' + Math.floor(rand() * N), rand));
  const t0 = performance.now();
  const scene = buildScene(graphOf(nodes, edges), 'rtt');
  const layout = sceneLayout(scene, [], { aspect: W / H });
  layout.run(12);
  const radii = scene.nodes.map((n) => n.outer);
  let viewport = fitViewport(layout, radii, W, H);
  // As the map does: a map of more than 200 nodes is labelled once the layout stands still.
  let labels = [];
  const layer = new MapLayer();
  // As the map does: straight onto the canvas while the layout moves, through the layer once it stands still.
  const paint = () => { const input = { scene, positions: layout, viewport, width: W, height: H, pixelRatio: ratio, colors, labels, hoverNode: -1, hoverEdge: -1, focusNode: -1, arrows: false };
    if (!layout.done() || !layer.paint(ctx, input, 1)) paintScene(ctx, input); };
  paint();
  const firstDraw = performance.now() - t0;
  const paints = [];
  const frameTimes = [];
  let last = performance.now();
  await new Promise((resolve) => { const step = () => { const now = performance.now(); frameTimes.push(now - last); last = now;
    layout.run(12); viewport = fitViewport(layout, radii, W, H); const a = performance.now(); labels = layout.done() ? sceneLabels(scene, layout, viewport.k, measure, { width: W, height: H }).labels : []; paint(); paints.push(performance.now() - a);
    if (layout.done()) resolve(); else requestAnimationFrame(step); }; requestAnimationFrame(step); });
  // Zoomed in 2x, as users do before dragging: labels are placed once for the zoom, then each frame is what a drag does (panBy, repaint).
  viewport = zoomAround(viewport, 2, W / 2, H / 2);
  const p0 = performance.now();
  const placement = sceneLabels(scene, layout, viewport.k, measure, { width: W, height: H });
  const placeMs = performance.now() - p0;
  labels = placement.labels;
  const panPaints = [];
  const panFrames = [];
  await new Promise((resolve) => { let n = 0; let prev = performance.now(); const step = () => { const now = performance.now();
    if (n > 0) panFrames.push(now - prev); prev = now; viewport = panBy(viewport, 4, 2); const a = performance.now(); paint(); panPaints.push(performance.now() - a);
    if (++n > 180) resolve(); else requestAnimationFrame(step); }; requestAnimationFrame(step); });
  const med = (v) => v.slice().sort((a, b) => a - b)[v.length >> 1];
  const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
  return { firstDraw, settleFrames: paints.length, paintMedian: med(paints), paintMax: Math.max(...paints), fps: 1000 / mean(frameTimes),
    placeMs, placed: labels.length, panFps: 1000 / mean(panFrames), panPaintMedian: med(panPaints), panPaintMax: Math.max(...panPaints) };
};
window.ready = true;
</script></body></html>`;

function median(values) {
  const s = [...values].sort((a, b) => a - b);

  return s[s.length >> 1];
}

async function main() {
  compileModules(ENTRIES, OUT);
  const { open, close } = await openModules(OUT, PAGE);

  try {
    console.log('traffic map readability: generated maps fitted to 1,150 x 520 px (overlapping pairs, goal 0)');
    console.log('  nodes  node/node  label/label  label/node  off canvas  labels full/shortened/hover-only  layout ms  zoom');
    const page = await open(1150, 520);

    for (const n of SIZES) {
      const r = await page.evaluate(([size]) => window.readability(size, 7), [n]);

      await page.screenshot({ path: path.join(OUT, `readability-${ n }.png`) });
      console.log(`  ${ String(n).padStart(5) }  ${ String(r.nodeNode).padStart(9) }  ${ String(r.labelLabel).padStart(11) }  ${ String(r.labelNode).padStart(10) }  ${ String(r.offCanvas).padStart(10) }  ${ `${ r.full }/${ r.shortened }/${ r.hidden }`.padStart(32) }  ${ r.layoutMs.toFixed(0).padStart(9) }  ${ r.k.toFixed(2) }`);
    }
    // Other seeds: the same counts over more pictures.
    let worst = { nodeNode: 0, labelLabel: 0, labelNode: 0 };

    for (let seed = 1; seed <= 20; seed++) {
      for (const n of SIZES) {
        const r = await page.evaluate(([size, s]) => window.readability(size, s), [n, seed]);

        worst = { nodeNode: worst.nodeNode + r.nodeNode, labelLabel: worst.labelLabel + r.labelLabel, labelNode: worst.labelNode + r.labelNode };
      }
    }
    console.log(`  80 more maps (seeds 1-20 x ${ SIZES.join('/') } nodes), overlapping pairs in all: node/node ${ worst.nodeNode }, label/label ${ worst.labelLabel }, label/node ${ worst.labelNode }`);
    console.log(`  pictures: ${ path.relative(ROOT, OUT) }/readability-{${ SIZES.join(',') }}.png`);
    await page.close();

    const results = [];

    for (let run = 0; run < RUNS; run++) {
      const p = await open(1200, 700);

      results.push(await p.evaluate(() => window.speed()));
      await p.close();
    }
    const f = (k) => median(results.map((r) => r[k])).toFixed(1);

    console.log(`traffic map, 1,000 nodes / 5,000 edges, ${ RUNS } runs in ${ CHROMIUM } (medians; load average ${ fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') }):`);
    console.log(`  first draw            ${ f('firstDraw') } ms`);
    console.log(`  frames while settling ${ f('settleFrames') }, paint median ${ f('paintMedian') } ms, max ${ f('paintMax') } ms`);
    console.log(`  frames per second while the layout settles: ${ f('fps') }`);
    console.log(`  label placement at 2x zoom: ${ f('placeMs') } ms for ${ f('placed') } labels`);
    console.log(`  frames per second while panning (2x zoom, 180 frames): ${ f('panFps') }, paint median ${ f('panPaintMedian') } ms, max ${ f('panPaintMax') } ms`);
  } finally {
    await close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
