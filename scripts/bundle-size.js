#!/usr/bin/env node
/**
 * Prints the size of the built extension bundle: the whole bundle gzipped, and the share that is
 * the extension's own code (shell components and polyfills excluded), estimated from webpack's
 * per-module sizes in the bundle-analyzer report that build-pkg writes.
 * Usage: node scripts/bundle-size.js [dist-pkg dir] [--budget-kb N]  (exit 1 when own code exceeds the budget)
 */
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const args = process.argv.slice(2);
const budgetAt = args.indexOf('--budget-kb');
const budgetKb = budgetAt >= 0 ? Number(args[budgetAt + 1]) : undefined;
const pkg = require('../pkg/harvester-network-monitoring/package.json');
const name = `${ pkg.name }-${ pkg.version }`;
const distRoot = args[0] && !args[0].startsWith('--') ? args[0] : path.join(__dirname, '..', 'dist-pkg');
const dist = path.join(distRoot, name);

if (!fs.existsSync(path.join(dist, 'report.html'))) {
  console.error(`No build found in ${ dist }: run "yarn build-pkg ${ pkg.name }" first.`);
  process.exit(1);
}

const html = fs.readFileSync(path.join(dist, 'report.html'), 'utf8');
const chartData = JSON.parse(html.match(/window\.chartData = (\[.*?\]);\s*\n/s)[1]);

function leaves(node, out = []) {
  if (!node.groups || !node.groups.length) {
    out.push(node);
  } else {
    node.groups.forEach((g) => leaves(g, out));
  }

  return out;
}

// Modules of the extension itself have paths relative to the package folder ("./pages/...").
const isOwn = (p) => p.startsWith('./') && !p.startsWith('./../');
let ownStat = 0;
let allStat = 0;

chartData.forEach((chunk) => leaves(chunk).forEach((leaf) => {
  allStat += leaf.statSize || 0;
  if (isOwn(leaf.path || '')) {
    ownStat += leaf.statSize || 0;
  }
}));

const jsFiles = fs.readdirSync(dist).filter((f) => f.endsWith('.js'));
const gzipTotal = jsFiles.reduce((sum, f) => sum + zlib.gzipSync(fs.readFileSync(path.join(dist, f)), { level: 9 }).length, 0);
const ownGzip = allStat ? gzipTotal * ownStat / allStat : 0;
const kb = (n) => (n / 1024).toFixed(1);

console.log(`bundle ${ name }: ${ jsFiles.length } files, ${ kb(gzipTotal) } KB gzipped in all`);
console.log(`extension's own code: ${ kb(ownGzip) } KB gzipped (estimated: ${ (100 * ownStat / allStat).toFixed(1) }% of the unminified module size)`);

if (budgetKb !== undefined) {
  const within = ownGzip / 1024 <= budgetKb;

  console.log(`budget ${ budgetKb } KB: ${ within ? 'within' : 'EXCEEDED' }`);
  process.exit(within ? 0 : 1);
}
