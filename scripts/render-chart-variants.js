#!/usr/bin/env node
/**
 * Renders the monitoring chart with real `helm template` for every variant the install wizard offers
 * (pkg/harvester-network-monitoring/domain/security/variants.json: Grafana exposure) and every database layout
 * (layouts.json: several ClickHouse nodes, external databases), and writes the manifests the wizard's security
 * review runs on: pkg/harvester-network-monitoring/generated/chart-renderings.json.
 * Generated secrets are blanked and checksum annotations dropped, so the output is reproducible;
 * dashboard JSON in ConfigMaps is blanked too (it carries no privileges and is most of the size).
 * The first variant is stored whole, every other one as the objects that differ from it; a layout as the
 * objects it changes in the first variant. The review applies a variant's and a layout's differences together,
 * so this script renders every variant x layout combination and fails when that composition is not exactly
 * what helm renders for it.
 *
 * Usage: node scripts/render-chart-variants.js [--check]   (--check: exit 1 when the committed file is stale)
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const yaml = require('js-yaml');

const ROOT = path.resolve(__dirname, '..');
const CHART = path.join(ROOT, 'charts/harvester-network-monitoring-stack');
const VARIANTS = require(path.join(ROOT, 'pkg/harvester-network-monitoring/domain/security/variants.json'));
const LAYOUTS = require(path.join(ROOT, 'pkg/harvester-network-monitoring/domain/security/layouts.json'));
const OUT = path.join(ROOT, 'pkg/harvester-network-monitoring/generated/chart-renderings.json');
const HELM = process.env.HELM || path.join(ROOT, '.tools/bin/helm');
const KUBE_VERSION = `v${ fs.readFileSync(path.join(ROOT, 'tools/versions.env'), 'utf8').match(/^KUBE_VERSION=(.+)$/m)[1] }`;
// The release the Harvester Addon creates: named after the Addon, in the Addon's namespace.
const RELEASE = 'harvester-network-monitoring';
const NAMESPACE = 'harvester-network-monitoring';

function sanitize(obj) {
  if (obj.kind === 'Secret') {
    ['data', 'stringData'].forEach((field) => {
      Object.keys(obj[field] || {}).forEach((key) => {
        obj[field][key] = '';
      });
    });
  }
  if (obj.kind === 'ConfigMap') {
    Object.keys(obj.data || {}).filter((key) => key.endsWith('.json')).forEach((key) => {
      obj.data[key] = '';
    });
  }
  const dropChecksums = (meta) => {
    Object.keys(meta?.annotations || {}).filter((k) => k.startsWith('checksum/')).forEach((k) => delete meta.annotations[k]);
  };

  dropChecksums(obj.metadata);
  dropChecksums(obj.spec?.template?.metadata);
  dropChecksums(obj.spec?.jobTemplate?.spec?.template?.metadata);

  return obj;
}

const sortKey = (o) => `${ o.kind }/${ o.metadata?.namespace || '' }/${ o.metadata?.name || '' }`;

function render(values) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hnm-variant-')), 'values.json');

  fs.writeFileSync(file, JSON.stringify(values));
  const out = execFileSync(HELM, ['template', RELEASE, CHART, '--namespace', NAMESPACE, '--kube-version', KUBE_VERSION, '-f', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

  fs.rmSync(path.dirname(file), { recursive: true, force: true });

  return yaml.loadAll(out).filter((o) => o && o.kind).map(sanitize).sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
}

function merge(target, source) {
  const out = { ...target };

  Object.entries(source).forEach(([k, v]) => {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object' ? merge(out[k], v) : v;
  });

  return out;
}

const keys = Object.keys(VARIANTS);
const [baseKey] = keys;
const base = render(VARIANTS[baseKey]);
const baseByKey = new Map(base.map((o) => [sortKey(o), JSON.stringify(o)]));

function deltaOf(objects) {
  const present = new Set(objects.map(sortKey));

  return {
    set:    objects.filter((o) => baseByKey.get(sortKey(o)) !== JSON.stringify(o)),
    remove: [...baseByKey.keys()].filter((k) => !present.has(k)),
  };
}

/** The same composition as renderedObjects() in domain/security/renderings.ts. */
function apply(objects, delta) {
  const byKey = new Map(objects.map((o) => [sortKey(o), o]));

  delta.remove.forEach((k) => byKey.delete(k));
  delta.set.forEach((o) => byKey.set(sortKey(o), o));

  return [...byKey.values()].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
}

const deltas = {};
const layouts = {};

keys.slice(1).forEach((key) => {
  deltas[key] = deltaOf(render(VARIANTS[key]));
});
Object.keys(LAYOUTS).forEach((layout) => {
  layouts[layout] = deltaOf(render(merge(VARIANTS[baseKey], LAYOUTS[layout])));
});
// Every combination must compose exactly: a variant and a layout may not change the same object differently.
Object.keys(LAYOUTS).forEach((layout) => keys.forEach((key) => {
  const composed = apply(key === baseKey ? base : apply(base, deltas[key]), layouts[layout]);
  const real = render(merge(VARIANTS[key], LAYOUTS[layout]));
  const differing = real.filter((o, i) => JSON.stringify(o) !== JSON.stringify(composed[i])).map(sortKey);

  if (real.length !== composed.length || differing.length) {
    console.error(`variant ${ key } with layout ${ layout } does not compose (${ differing.join(', ') || 'object count' }): render that combination as its own variant.`);
    process.exit(1);
  }
}));
const rendered = {
  base: baseKey, objects: base, deltas, layouts
};
const text = `${ JSON.stringify(rendered) }\n`;

if (process.argv.includes('--check')) {
  const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';

  if (current !== text) {
    console.error(`${ path.relative(ROOT, OUT) } does not match the chart: run "node scripts/render-chart-variants.js" and commit the result.`);
    process.exit(1);
  }
  console.log(`chart renderings up to date (${ keys.length } variants, ${ Object.keys(LAYOUTS).length } layouts)`);
} else {
  fs.writeFileSync(OUT, text);
  console.log(`wrote ${ path.relative(ROOT, OUT) }: ${ keys.length } variants, ${ Object.keys(LAYOUTS).length } layouts, ${ (text.length / 1024).toFixed(0) } KB`);
}
