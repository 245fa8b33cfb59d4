/**
 * Runs the real build and publish flow (build-pkg through publish-pkgs, real helm) into a scratch
 * folder and checks the Helm repository it produces and the bundle it builds (the startup file every
 * Rancher user downloads at login holds registration only, within a size budget: sizes of a given
 * build are deterministic, so the budget is a plain check, not a timing); also checks the committed catalog.
 */
import { execFileSync, spawnSync } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { load } from 'js-yaml';
import { measure } from '../../scripts/bundle-size';

const ROOT = path.resolve(__dirname, '../..');
const PKG = 'harvester-network-monitoring';
const STACK_CHART = 'harvester-network-monitoring-stack';
const pkgJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'pkg', PKG, 'package.json'), 'utf8'));
const VERSION = pkgJson.version;
const BUNDLE = `${ PKG }-${ VERSION }`;
// The catalog's one URL setting (README, Catalog URLs), given to the scratch publish.
const REPO_URL = 'https://github.com/example-org/hnm-catalog';
const RAW = 'https://raw.githubusercontent.com/example-org/hnm-catalog/release';
// The organisation the catalog used to name without owning it.
const PLACEHOLDER_ORG = /github(usercontent)?\.com\/harvester-network-monitoring\//;
const CERTIFIED = 'catalog.cattle.io/certified';
const BUDGET_KB = 40;
/** What registration may consist of: index.ts and what it needs to declare routes, nav and tabs. */
const STARTUP_OWN = ['index.ts', 'config/product.ts', 'config/pages.ts', 'routing/routes.ts', 'routing/harvester-store.ts', 'domain/stack/constants.ts', 'package.json', 'icon.svg'];
/** The library entry vue-cli wraps it in, the shell's generated type import and the TabLocation enum. */
const STARTUP_DEPENDENCIES = /^node_modules\/(@vue\/cli-service\/lib\/commands\/build\/|@rancher\/auto-import$|@rancher\/shell\/core\/types\.ts$)/;
const HELM = fs.existsSync(path.join(ROOT, '.tools/bin/helm')) ? path.join(ROOT, '.tools/bin/helm') : 'helm';

type Index = { entries: Record<string, { version: string; digest: string; urls: string[]; annotations?: Record<string, string>; icon?: string; home?: string; sources?: string[] }[]> };
type ChartYaml = { annotations?: Record<string, string>; icon?: string; home?: string; sources?: string[] };

/** What the proposal editor brings: itself, the shell's YAML editor and the highlighter of its diff view. */
const EDITOR_MODULES = /^(components\/policy\/PolicyProposal\.vue|node_modules\/@rancher\/shell\/components\/YamlEditor\.vue|node_modules\/highlight\.js\/)/;

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

const extensionArchive = (dir: string) => path.join(dir, 'assets', PKG, `${ PKG }-${ VERSION }.tgz`);
const fromArchive = (dir: string, file: string) => execFileSync('tar', ['-xzOf', extensionArchive(dir), `${ PKG }/${ file }`], { encoding: 'utf8' });

/** Renders the packaged extension chart as Rancher would install it; undefined with helm's error when it refuses. */
function renderExtension(dir: string, ...set: string[]): { out?: string; error?: string } {
  try {
    return { out: execFileSync(HELM, ['template', PKG, extensionArchive(dir), ...set.flatMap((s) => ['--set', s])], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e) {
    return { error: String((e as { stderr?: unknown }).stderr) };
  }
}

/**
 * The extension chart does not claim to be Rancher's own (no certified annotation, so the Extensions page
 * labels it Third-Party) and names no placeholder organisation: in index.yaml, the chart folder, the packaged
 * archive or the bundle.
 */
function expectTruthfulCatalog(dir: string) {
  const chartDir = path.join(dir, 'charts', PKG, VERSION);
  const texts: [string, string][] = [
    ['index.yaml', fs.readFileSync(path.join(dir, 'index.yaml'), 'utf8')],
    ...['Chart.yaml', 'values.yaml', 'templates/cr.yaml'].flatMap((f): [string, string][] => [
      [`charts/${ f }`, fs.readFileSync(path.join(chartDir, f), 'utf8')], [`archive ${ f }`, fromArchive(dir, f)]
    ]),
    ['bundle', fs.readFileSync(path.join(dir, 'extensions', PKG, VERSION, 'plugin', `${ BUNDLE }.umd.min.js`), 'utf8')],
  ];

  // Names of the files that say it, not their text: the bundle is megabytes.
  expect(texts.filter(([, text]) => PLACEHOLDER_ORG.test(text)).map(([name]) => name)).toEqual([]);
  expect(texts.filter(([, text]) => text.includes(CERTIFIED)).map(([name]) => name)).toEqual([]);
  expect(readIndex(dir).entries[PKG].find((e) => e.version === VERSION)?.annotations?.[CERTIFIED]).toBeUndefined();
  expect((load(fromArchive(dir, 'Chart.yaml')) as ChartYaml).annotations?.[CERTIFIED]).toBeUndefined();
}

/** Icon, home, sources and the plugin endpoint all come from the one setting, or none is there. */
function expectUrlsFromOneSetting(dir: string) {
  const chart = load(fromArchive(dir, 'Chart.yaml')) as ChartYaml;
  const values = load(fromArchive(dir, 'values.yaml')) as any;
  const entry = readIndex(dir).entries[PKG].find((e) => e.version === VERSION);

  expect({ icon: entry?.icon, home: entry?.home, sources: entry?.sources }).toEqual({ icon: chart.icon, home: chart.home, sources: chart.sources });
  if (!chart.home) {
    expect([chart.icon, chart.sources, values.plugin.endpoint, values.plugin.compressedEndpoint]).toEqual([undefined, undefined, '', '']);
    // Installing it as is would make a UIPlugin Rancher cannot load: helm refuses and says why.
    expect(renderExtension(dir).error).toContain('plugin.endpoint is not set');
    expect(renderExtension(dir, 'plugin.endpoint=http://192.0.2.1:4500/extensions/x').out).toContain('endpoint: "http://192.0.2.1:4500/extensions/x"');

    return;
  }
  const [, org, repo] = chart.home.match(/^https:\/\/github\.com\/([^/]+)\/([^/]+)$/) || [];
  const raw = new RegExp(`^https://raw\\.githubusercontent\\.com/${ org }/${ repo }/[^/]+/`);

  expect(org && repo).toBeTruthy();
  expect(chart.sources).toEqual([chart.home]);
  expect(chart.icon).toMatch(raw);
  expect(values.plugin.endpoint).toMatch(raw);
  expect(chart.icon?.replace(raw, '')).toBe(`pkg/${ PKG }/icon.svg`);
  expect(values.plugin.endpoint.replace(raw, '')).toBe(`extensions/${ PKG }/${ VERSION }`);
  expect(renderExtension(dir).out).toContain(`endpoint: "${ values.plugin.endpoint }"`);
}

describe('build and publish (real build-pkg, publish-pkgs and helm)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hnm-publish-'));

  beforeAll(() => {
    const env = {
      ...process.env,
      FORCE_COLOR:                     '0',
      HNM_REPO_URL:                    REPO_URL,
      HNM_REPO_BRANCH:                 'release',
      // What a Jest worker that transformed a .vue file carries (@vue/babel-preset-app sets them under
      // NODE_ENV=test): the script must build ES modules, and so chunks, all the same.
      VUE_CLI_BABEL_TRANSPILE_MODULES: 'true',
      VUE_CLI_BABEL_TARGET_NODE:       'true',
    };

    execFileSync(path.join(ROOT, 'scripts/publish-repo.sh'), [out], { cwd: ROOT, stdio: 'pipe', env });
  }, 600000);

  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('builds the UMD bundle', () => {
    const bundle = path.join(out, 'dist-pkg', BUNDLE, `${ BUNDLE }.umd.min.js`);

    expect(fs.statSync(bundle).size).toBeGreaterThan(1000);
    expect(fs.readFileSync(bundle, 'utf8')).toContain('network-monitoring-overview');
  });

  it('publishes both charts with Rancher annotations in one index', () => {
    expectConsistentCatalog(out);
  });

  it('points the extension chart at the git-repo catalog endpoint', () => {
    const values = load(fs.readFileSync(path.join(out, 'charts', PKG, VERSION, 'values.yaml'), 'utf8')) as any;

    expect(values.plugin.endpoint).toBe(`${ RAW }/extensions/${ PKG }/${ VERSION }`);
    expect(values.plugin.compressedEndpoint).toBe(`${ RAW }/extensions/${ PKG }/${ VERSION }.tgz`);
  });

  it('does not claim to be a Rancher extension and names no placeholder organisation', () => {
    expectTruthfulCatalog(out);
  });

  it('makes the icon, home and source links from HNM_REPO_URL', () => {
    const chart = load(fromArchive(out, 'Chart.yaml')) as ChartYaml;

    expect({ icon: chart.icon, home: chart.home, sources: chart.sources }).toEqual({ icon: `${ RAW }/pkg/${ PKG }/icon.svg`, home: REPO_URL, sources: [REPO_URL] });
    expectUrlsFromOneSetting(out);
  });

  describe('startup bundle', () => {
    const distRoot = path.join(out, 'dist-pkg');
    const bundleText = (file: string) => fs.readFileSync(path.join(distRoot, BUNDLE, file), 'utf8');
    /** webpack's chunk names by id, from the startup file's chunk-file function (`{148:"policy-proposal",…}`). */
    const chunkNames = () => Object.fromEntries([...bundleText(`${ BUNDLE }.umd.min.js`).matchAll(/(\d+):"([a-z-]+)"/g)].map((m) => [m[1], m[2]]));
    const chunkId = (name: string) => Object.entries(chunkNames()).find(([, n]) => n === name)?.[0];
    const chunkFile = (id: string) => `${ BUNDLE }.umd.min.${ chunkNames()[id] ?? id }.js`;
    /** The chunk ids each lazy import loads together (`Promise.all([n.e(21),n.e(990),n.e(148)])`), in every file. */
    const chunkGroups = () => fs.readdirSync(path.join(distRoot, BUNDLE)).filter((f) => f.endsWith('.js'))
      .flatMap((f) => [...bundleText(f).matchAll(/Promise\.all\(\[((?:\w+\.e\(\d+\),?)+)\]\)/g)])
      .map((m) => [...m[1].matchAll(/\((\d+)\)/g)].map((id) => id[1]));
    const sizeCommand = (budgetKb: number) => {
      const run = spawnSync('node', [path.join(ROOT, 'scripts/bundle-size.js'), distRoot, '--budget-kb', String(budgetKb)], { encoding: 'utf8' });

      return { status: run.status, output: `${ run.stdout }${ run.stderr }` };
    };

    it(`keeps the startup file within ${ BUDGET_KB } KB gzipped`, () => {
      const { status, output } = sizeCommand(BUDGET_KB);

      expect(output).toContain(`startup budget ${ BUDGET_KB } KB: within`);
      expect(status).toBe(0);
      expect(measure(distRoot).startup).toBeLessThanOrEqual(BUDGET_KB * 1024);
    });

    it('fails the size command when the startup file exceeds the budget', () => {
      const { status, output } = sizeCommand(1);

      expect(output).toContain('startup budget 1 KB: EXCEEDED');
      expect(status).toBe(1);
    });

    it('holds registration only in the startup file', () => {
      const { startupModules } = measure(distRoot);

      expect(startupModules).toContain('index.ts');
      expect(startupModules.filter((m) => !STARTUP_OWN.includes(m) && !STARTUP_DEPENDENCIES.test(m))).toEqual([]);
    });

    it('loads every page, tab and the l10n on demand, each from its own chunk', () => {
      const files = measure(distRoot).chunks.map((c) => c.file);

      for (const name of ['page-overview', 'page-install', 'page-flows', 'page-grafana', 'page-security-review', 'tab-vm-network', 'tab-pod-network', 'dialog']) {
        expect(files).toContain(`${ BUNDLE }.umd.min.${ name }.js`);
      }
      expect(measure(distRoot).chunks.some((c) => c.largest === 'l10n/en-us.yaml')).toBe(true);
    });

    it('loads the NetworkPolicy proposal editor, with the shell\'s YamlEditor and highlight.js, only when it is opened', () => {
      const { chunks } = measure(distRoot);
      const files = (ids: string[]) => ids.map(chunkFile);
      const editorFiles = chunks.filter((c) => c.modules.some((m) => EDITOR_MODULES.test(m))).map((c) => c.file);
      const loadedWith = (name: string) => files(chunkGroups().find((ids) => ids.includes(chunkId(name) ?? name)) ?? []);

      expect(editorFiles.length).toBeGreaterThan(0);
      for (const name of ['page-flows', 'tab-vm-network', 'tab-pod-network']) {
        expect(loadedWith(name)).toContain(`${ BUNDLE }.umd.min.${ name }.js`);
        expect(loadedWith(name).filter((f) => editorFiles.includes(f))).toEqual([]);
      }
      expect(loadedWith('policy-proposal')).toEqual(expect.arrayContaining(editorFiles));
    });
  });

  it('refuses an HNM_REPO_URL that is not a GitHub repository, before building anything', () => {
    const run = () => execFileSync(path.join(ROOT, 'scripts/publish-repo.sh'), [path.join(out, 'never')], { cwd: ROOT, stdio: 'pipe', env: { ...process.env, HNM_REPO_URL: 'https://gitlab.example/x/y' } });

    expect(run).toThrow(/not a GitHub repository URL/);
    expect(fs.existsSync(path.join(out, 'never'))).toBe(false);
  });
});

describe('committed Helm repository (what Rancher reads from the git repo)', () => {
  it('lists both charts at the current version, with digests that match the committed archives', () => {
    expectConsistentCatalog(ROOT);
    expect(readIndex(ROOT).entries[PKG].map((e) => e.version)).toContain(VERSION);
  });

  it('does not claim to be a Rancher extension and names no placeholder organisation', () => {
    expectTruthfulCatalog(ROOT);
  });

  it('has its URLs from one setting, or none and an install that says why it refuses', () => {
    expectUrlsFromOneSetting(ROOT);
  });
});
