/**
 * Runs the extension's own modules in Debian's Chromium, the engine the dashboard runs in, for the benchmarks:
 * compiles them with tsc to ES modules in a folder, serves that folder from 127.0.0.1 and opens pages on it
 * with playwright-core. Used by traffic-map-bench.js and flows-bench.ts.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const path = require('path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '../..');
const PKG = path.join(ROOT, 'pkg/harvester-network-monitoring');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/**
 * Compiles `entries` (paths under the package) and what they import into `out`, as ES modules a browser loads;
 * as strict as the project's tsconfig (the code's type narrowing needs it).
 */
function compileModules(entries, out) {
  fs.rmSync(out, { recursive: true, force: true });
  execFileSync(path.join(ROOT, 'node_modules/.bin/tsc'), [
    '--outDir', out, '--rootDir', PKG, '--module', 'es2020', '--target', 'es2020', '--lib', 'es2022,dom,dom.iterable', '--moduleResolution', 'node',
    '--strict', '--skipLibCheck', '--isolatedModules', '--noEmitOnError', 'false', ...entries.map((e) => path.join(PKG, e)),
  ], { stdio: 'pipe' });
  // Browsers need explicit file extensions in ES module specifiers.
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => {
    const file = path.join(dir, e.name);

    if (e.isDirectory()) {
      return walk(file);
    }
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/(from\s+['"])(\.{1,2}\/[^'"]+?)(['"])/g, (m, a, spec, b) => `${ a }${ spec.endsWith('.js') ? spec : `${ spec }.js` }${ b }`));
  });

  walk(out);
}

/**
 * Serves `out` with `html` as its index.html and starts Chromium. `open(width, height)` loads the page and waits
 * until it sets `window.ready`; `close()` stops both.
 */
async function openModules(out, html) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${ CHROMIUM } not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM.`);
  }
  fs.writeFileSync(path.join(out, 'index.html'), html);
  const server = http.createServer((req, res) => {
    const file = path.join(out, decodeURIComponent(req.url.split('?')[0]));

    if (!file.startsWith(out) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
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

  return {
    async open(width, height) {
      const page = await browser.newPage({ viewport: { width, height } });

      page.on('pageerror', (e) => console.error('pageerror:', e.message));
      await page.goto(`http://127.0.0.1:${ server.address().port }/index.html`);
      await page.waitForFunction(() => window.ready, null, { timeout: 60000 });

      return page;
    },
    async close() {
      await browser.close();
      server.close();
    },
  };
}

module.exports = {
  ROOT, CHROMIUM, compileModules, openModules
};
