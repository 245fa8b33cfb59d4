#!/usr/bin/env node
/**
 * Packages the monitoring chart with real helm and bundles it into the extension
 * (pkg/harvester-network-monitoring/generated/chart-bundle.json), so air-gapped clusters can install
 * it without reaching any Helm repository (the wizard's "bundled chart" source).
 * tests/chart/bundle.test.ts fails when the bundled files differ from the chart source.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const CHART = path.join(ROOT, 'charts/harvester-network-monitoring-stack');
const OUT = path.join(ROOT, 'pkg/harvester-network-monitoring/generated/chart-bundle.json');
const HELM = process.env.HELM || path.join(ROOT, '.tools/bin/helm');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hnm-bundle-'));

try {
  execFileSync(HELM, ['package', CHART, '-d', dir], { stdio: 'pipe' });
  const [file] = fs.readdirSync(dir).filter((f) => f.endsWith('.tgz'));
  const chart = require(path.join(ROOT, 'node_modules/js-yaml')).load(fs.readFileSync(path.join(CHART, 'Chart.yaml'), 'utf8'));
  const bundle = { name: chart.name, version: chart.version, tgzBase64: fs.readFileSync(path.join(dir, file)).toString('base64') };

  fs.writeFileSync(OUT, `${ JSON.stringify(bundle) }\n`);
  console.log(`wrote ${ path.relative(ROOT, OUT) }: ${ file }, ${ (bundle.tgzBase64.length / 1024).toFixed(0) } KB base64`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
