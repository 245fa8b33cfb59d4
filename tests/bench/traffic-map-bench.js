#!/usr/bin/env node
/**
 * Traffic map with 1,000 nodes and 5,000 edges in the real browser (Debian's Chromium through
 * playwright-core): time to first draw, and paint times while the layout settles in per-frame slices,
 * then frames per second while panning the settled map, with the map's own layout, scene and canvas
 * painter. Prints figures; asserts nothing.
 * The modules are compiled with tsc to ES modules in tmp/bench-map and served from 127.0.0.1.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const path = require('path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'tmp/bench-map');
const PKG = path.join(ROOT, 'pkg/harvester-network-monitoring');
const ENTRIES = ['domain/flows/graph/layout.ts', 'domain/flows/graph/viewport.ts', 'components/flows/traffic-map-paint.ts'];
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const RUNS = 5;

function compile() {
  fs.rmSync(OUT, { recursive: true, force: true });
  execFileSync(path.join(ROOT, 'node_modules/.bin/tsc'), [
    '--outDir', OUT, '--rootDir', PKG, '--module', 'es2020', '--target', 'es2020', '--lib', 'es2022,dom,dom.iterable', '--moduleResolution', 'node',
    '--skipLibCheck', '--isolatedModules', '--noEmitOnError', 'false', ...ENTRIES.map((e) => path.join(PKG, e)),
  ], { stdio: 'pipe' });
  // Browsers need explicit file extensions in ES module specifiers.
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => {
    const file = path.join(dir, e.name);

    if (e.isDirectory()) {
      return walk(file);
    }
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/(from\s+['"])(\.{1,2}\/[^'"]+?)(['"])/g, (m, a, spec, b) => `${ a }${ spec.endsWith('.js') ? spec : `${ spec }.js` }${ b }`));
  });

  walk(OUT);
}

const PAGE = `<!doctype html><html><body style="margin:0"><canvas id="c" style="width:1200px;height:700px;display:block"></canvas>
<script type="module">
import { createForceLayout } from './domain/flows/graph/layout.js';
import { buildScene, fitViewport, labelledNodes, panBy, zoomAround } from './domain/flows/graph/viewport.js';
import { paintScene, readColors } from './components/flows/traffic-map-paint.js';
let seed = 42;
const rand = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
const N = 1000, E = 5000, kinds = ['vm', 'pod', 'service', 'node', 'namespace'];
const nodes = Array.from({ length: N }, (_, i) => ({ id: 'n' + i, kind: kinds[i % 5], label: 'endpoint-' + i, namespace: 'ns' + (i % 20), bytes: Math.floor(Math.pow(rand(), 3) * 1e9), members: 1 }));
const edges = Array.from({ length: E }, (_, i) => { const s = Math.floor(Math.pow(rand(), 2) * N), t = Math.floor(rand() * N);
  return { id: 'e' + i, source: 'n' + s, target: 'n' + t, bytes: Math.floor(rand() * 1e8), bytesTx: 1, bytesRx: 1, packets: 100, connections: 1,
    failedConnections: 0, retrans: Math.floor(rand() * 5), retransRate: rand() * 0.05, rttUs: rand() * 40000, categories: [], selfLoop: s === t }; });
const graph = { nodes, edges, totalNodes: N, totalEdges: E, tooLarge: false, maxNodes: 1500 };
const canvas = document.getElementById('c');
const ratio = window.devicePixelRatio || 1;
canvas.width = 1200 * ratio; canvas.height = 700 * ratio;
const t0 = performance.now();
const scene = buildScene(graph, 'rtt');
const layout = createForceLayout(scene.nodes.map((n) => ({ id: n.id, weight: n.node.bytes, radius: n.radius })),
  scene.edges.map((e) => ({ source: scene.nodes[e.source].id, target: scene.nodes[e.target].id })));
layout.run(12);
const radii = scene.nodes.map((n) => n.radius);
let viewport = fitViewport(layout, radii, 1200, 700);
const ctx = canvas.getContext('2d');
const colors = readColors(canvas);
const paint = () => paintScene(ctx, { scene, positions: layout, viewport, width: 1200, height: 700, pixelRatio: ratio, colors,
  labelled: labelledNodes(scene, viewport.k), hoverNode: -1, hoverEdge: -1, arrows: false });
paint();
const firstDraw = performance.now() - t0;
const paints = [];
const frameTimes = [];
let last = performance.now();
await new Promise((resolve) => { const step = () => { const now = performance.now(); frameTimes.push(now - last); last = now;
  layout.run(12); viewport = fitViewport(layout, radii, 1200, 700); const a = performance.now(); paint(); paints.push(performance.now() - a);
  if (layout.done()) resolve(); else requestAnimationFrame(step); }; requestAnimationFrame(step); });
// Panning a settled map, zoomed in 2x as users do before dragging: what a drag does per frame (panBy, repaint).
viewport = zoomAround(viewport, 2, 600, 350);
const panPaints = [];
const panFrames = [];
await new Promise((resolve) => { let n = 0; let prev = performance.now(); const step = () => { const now = performance.now();
  if (n > 0) panFrames.push(now - prev); prev = now; viewport = panBy(viewport, 4, 2); const a = performance.now(); paint(); panPaints.push(performance.now() - a);
  if (++n > 180) resolve(); else requestAnimationFrame(step); }; requestAnimationFrame(step); });
const med = (v) => v.slice().sort((a, b) => a - b)[v.length >> 1];
const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
window.result = { firstDraw, settleFrames: paints.length, paintMedian: med(paints), paintMax: Math.max(...paints), fps: 1000 / mean(frameTimes),
  panFps: 1000 / mean(panFrames), panPaintMedian: med(panPaints), panPaintMax: Math.max(...panPaints) };
</script></body></html>`;

function median(values) {
  const s = [...values].sort((a, b) => a - b);

  return s[s.length >> 1];
}

async function main() {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`${ CHROMIUM } not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM.`);
    process.exit(1);
  }
  compile();
  fs.writeFileSync(path.join(OUT, 'index.html'), PAGE);
  const server = http.createServer((req, res) => {
    const file = path.join(OUT, decodeURIComponent(req.url.split('?')[0]));

    if (!file.startsWith(OUT) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404);

      return res.end();
    }
    res.writeHead(200, { 'Content-Type': file.endsWith('.js') ? 'text/javascript' : 'text/html' });
    fs.createReadStream(file).pipe(res);
  });

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu']
  });
  const results = [];

  try {
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 700 } });

      page.on('pageerror', (e) => console.error('pageerror:', e.message));
      await page.goto(`http://127.0.0.1:${ server.address().port }/index.html`);
      await page.waitForFunction(() => window.result, null, { timeout: 120000 });
      results.push(await page.evaluate(() => window.result));
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  const f = (k) => median(results.map((r) => r[k])).toFixed(1);

  console.log(`traffic map, 1,000 nodes / 5,000 edges, ${ RUNS } runs in ${ CHROMIUM } (medians):`);
  console.log(`  first draw            ${ f('firstDraw') } ms   (target < 1000 ms)`);
  console.log(`  frames while settling ${ f('settleFrames') }, paint median ${ f('paintMedian') } ms, max ${ f('paintMax') } ms`);
  console.log(`  frames per second while the layout settles: ${ f('fps') }`);
  console.log(`  frames per second while panning (2x zoom, 180 frames): ${ f('panFps') }, paint median ${ f('panPaintMedian') } ms, max ${ f('panPaintMax') } ms`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
