#!/usr/bin/env node
/**
 * Prints the sizes of the built extension bundle, gzipped: the startup file (the UMD main file Rancher
 * loads for every user at login), the total of all its .js files (the chunks load when a page, tab or
 * dialog first opens), and each chunk from --chunk-kb up with its largest module (from the
 * bundle-analyzer report build-pkg writes).
 *
 * Usage: node scripts/bundle-size.js [dist-pkg dir] [--budget-kb N] [--chunk-kb N] [--build]
 *   Without a dir, the repository's dist-pkg/ is measured, built first with build-pkg when missing or
 *   with --build (a build left from older sources measures those).
 *   --budget-kb N: exit 1 when the startup file exceeds N KB gzipped.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { buildEnv } = require('./build-env');

const ROOT = path.join(__dirname, '..');
const PKG = require('../pkg/harvester-network-monitoring/package.json');
const NAME = `${ PKG.name }-${ PKG.version }`;

const gzipSize = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1);

function leaves(node, out = []) {
  if (!node.groups || !node.groups.length) {
    out.push(node);
  } else {
    node.groups.forEach((g) => leaves(g, out));
  }

  return out;
}

/**
 * A module's path as webpack names it, made readable: the module itself rather than the group it was
 * concatenated into, dependencies from their node_modules folder on, no loader query.
 */
function tidy(modulePath) {
  return modulePath
    .replace(/^.* \(concatenated\)\//, './')
    .replace(/^(\.\/)?(\.\.\/)*(.*\/)?node_modules\//, 'node_modules/')
    .replace(/^\.\//, '')
    .replace(/\?.*$/, '');
}

/** Module paths per output file, from the analyzer report (empty when the report is missing). */
function modulesByFile(dist) {
  const report = path.join(dist, 'report.html');
  const found = fs.existsSync(report) && fs.readFileSync(report, 'utf8').match(/window\.chartData = (\[.*?\]);\s*\n/s);
  const out = {};

  if (found) {
    JSON.parse(found[1]).forEach((chunk) => {
      out[chunk.label] = leaves(chunk)
        .filter((leaf) => leaf.path)
        .map((leaf) => ({ path: tidy(leaf.path), size: leaf.statSize || 0 }))
        .sort((a, b) => b.size - a.size);
    });
  }

  return out;
}

/**
 * Sizes of the bundle in `distRoot` (a dist-pkg folder). `startupModules` lists what the startup file
 * is made of: paths relative to the package folder, dependencies from node_modules/ on.
 * @param {string} distRoot
 * @returns {{ name: string, startup: number, total: number, chunks: { file: string, gzip: number, largest?: string, modules: string[] }[], startupModules: string[] }}
 */
function measure(distRoot) {
  const dist = path.join(distRoot, NAME);
  const main = `${ NAME }.umd.min.js`;

  if (!fs.existsSync(path.join(dist, main))) {
    throw new Error(`No build of ${ NAME } in ${ distRoot }: run "yarn build-pkg ${ PKG.name }" in the repository root, or "npm run size" without a folder to build and measure.`);
  }
  const modules = modulesByFile(dist);
  const chunks = fs.readdirSync(dist)
    .filter((f) => f.endsWith('.js') && f !== main)
    .map((file) => ({
      file, gzip: gzipSize(path.join(dist, file)), largest: (modules[file] || [])[0]?.path, modules: (modules[file] || []).map((m) => m.path)
    }))
    .sort((a, b) => b.gzip - a.gzip);
  const startup = gzipSize(path.join(dist, main));

  return {
    name:           NAME,
    startup,
    total:          chunks.reduce((sum, c) => sum + c.gzip, startup),
    chunks,
    startupModules: (modules[main] || []).map((m) => m.path),
  };
}

function option(args, flag) {
  const at = args.indexOf(flag);

  return at >= 0 ? Number(args[at + 1]) : undefined;
}

function main(args) {
  const budgetKb = option(args, '--budget-kb');
  const chunkKb = option(args, '--chunk-kb') ?? 5;
  const explicit = args[0] && !args[0].startsWith('--') ? args[0] : undefined;
  const distRoot = explicit || path.join(ROOT, 'dist-pkg');

  if (!explicit && (args.includes('--build') || !fs.existsSync(path.join(distRoot, NAME, `${ NAME }.umd.min.js`)))) {
    console.log(`Building ${ distRoot } with "yarn build-pkg ${ PKG.name }" (a few minutes)...`);
    execFileSync(path.join(ROOT, 'node_modules/.bin/yarn'), ['--silent', 'build-pkg', PKG.name], {
      cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: buildEnv('production')
    });
  }

  let sizes;

  try {
    sizes = measure(distRoot);
  } catch (e) {
    console.error(e.message);

    return 1;
  }
  const big = sizes.chunks.filter((c) => c.gzip >= chunkKb * 1024);

  console.log(`bundle ${ sizes.name }: ${ sizes.chunks.length + 1 } files`);
  console.log(`startup (${ sizes.name }.umd.min.js, loaded at login): ${ kb(sizes.startup) } KB gzipped`);
  console.log(`total (all .js files, loaded on demand but the startup file): ${ kb(sizes.total) } KB gzipped`);
  console.log(`chunks from ${ chunkKb } KB gzipped (${ big.length } of ${ sizes.chunks.length }):`);
  big.forEach((c) => console.log(`  ${ kb(c.gzip).padStart(6) } KB  ${ c.file.slice(NAME.length + 1) }${ c.largest ? `  (largest module: ${ c.largest })` : '' }`));

  if (budgetKb === undefined) {
    return 0;
  }
  const within = sizes.startup <= budgetKb * 1024;

  console.log(within ? `startup budget ${ budgetKb } KB: within` : `startup budget ${ budgetKb } KB: EXCEEDED by ${ kb(sizes.startup - budgetKb * 1024) } KB; find the static import that pulls page code into index.ts, config/ or routing/ (largest startup modules: ${ sizes.startupModules.slice(0, 5).join(', ') })`);

  return within ? 0 : 1;
}

module.exports = { measure };

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
