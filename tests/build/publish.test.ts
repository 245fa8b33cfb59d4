/**
 * Runs the real build and publish flow (build-pkg through publish-pkgs, real helm) into a scratch
 * folder and checks the Helm repository it produces; also checks the committed catalog.
 */
import { execFileSync } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { load } from 'js-yaml';

const ROOT = path.resolve(__dirname, '../..');
const PKG = 'harvester-network-monitoring';
const STACK_CHART = 'harvester-network-monitoring-stack';
const pkgJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'pkg', PKG, 'package.json'), 'utf8'));
const VERSION = pkgJson.version;
const BUNDLE = `${ PKG }-${ VERSION }`;
const BUDGET_KB = 150;

type Index = { entries: Record<string, { version: string; digest: string; urls: string[]; annotations?: Record<string, string> }[]> };

const readIndex = (dir: string) => load(fs.readFileSync(path.join(dir, 'index.yaml'), 'utf8')) as Index;
const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function expectConsistentCatalog(dir: string) {
  const index = readIndex(dir);

  for (const chart of [PKG, STACK_CHART]) {
    expect(index.entries[chart]?.length).toBeGreaterThan(0);
    for (const entry of index.entries[chart]) {
      const tgz = path.join(dir, entry.urls[0]);

      expect(fs.existsSync(tgz)).toBe(true);
      expect(sha256(tgz)).toBe(entry.digest);
    }
  }
  const ext = index.entries[PKG].find((e) => e.version === VERSION);

  expect(ext?.annotations).toMatchObject({
    'catalog.cattle.io/display-name':          'Harvester Network Monitoring',
    'catalog.cattle.io/ui-extensions-version': '>= 3.0.0 < 4.0.0',
    'catalog.cattle.io/rancher-version':       pkgJson.rancher.annotations['catalog.cattle.io/rancher-version'],
    'catalog.cattle.io/ui-component':          'plugins',
  });
  expect(fs.existsSync(path.join(dir, 'extensions', PKG, VERSION, 'plugin', `${ BUNDLE }.umd.min.js`))).toBe(true);
  expect(fs.existsSync(path.join(dir, 'charts', PKG, VERSION, 'Chart.yaml'))).toBe(true);
}

describe('build and publish (real build-pkg, publish-pkgs and helm)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hnm-publish-'));

  beforeAll(() => {
    execFileSync(path.join(ROOT, 'scripts/publish-repo.sh'), [out], { cwd: ROOT, stdio: 'pipe', env: { ...process.env, FORCE_COLOR: '0' } });
  }, 600000);

  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('builds the UMD bundle', () => {
    const bundle = path.join(out, 'dist-pkg', BUNDLE, `${ BUNDLE }.umd.min.js`);

    expect(fs.statSync(bundle).size).toBeGreaterThan(1000);
    expect(fs.readFileSync(bundle, 'utf8')).toContain('network-monitoring-overview');
  });

  it(`keeps the extension's own code under ${ BUDGET_KB } KB gzipped`, () => {
    const report = execFileSync('node', [path.join(ROOT, 'scripts/bundle-size.js'), path.join(out, 'dist-pkg'), '--budget-kb', String(BUDGET_KB)], { encoding: 'utf8' });

    expect(report).toContain('within');
  });

  it('publishes both charts with Rancher annotations in one index', () => {
    expectConsistentCatalog(out);
  });

  it('points the extension chart at the git-repo catalog endpoint', () => {
    const values = load(fs.readFileSync(path.join(out, 'charts', PKG, VERSION, 'values.yaml'), 'utf8')) as any;

    expect(values.plugin.endpoint).toMatch(new RegExp(`/extensions/${ PKG }/${ VERSION }$`));
  });
});

describe('committed Helm repository (what Rancher reads from the git repo)', () => {
  it('lists both charts at the current version, with digests that match the committed archives', () => {
    expectConsistentCatalog(ROOT);
    expect(readIndex(ROOT).entries[PKG].map((e) => e.version)).toContain(VERSION);
  });
});
