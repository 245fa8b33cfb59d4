/**
 * Builds the extension with the real build-pkg into a scratch folder and holds its startup file (the
 * UMD main file every Rancher user downloads at login) to registration only and a size budget.
 * Sizes of a given build are deterministic, so the budget is a plain check, not a timing.
 */
import { execFileSync, spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { measure } from '../../scripts/bundle-size';

const ROOT = path.resolve(__dirname, '../..');
const PKG = 'harvester-network-monitoring';
const STACK_CHART = 'harvester-network-monitoring-stack';
const BUNDLE = `${ PKG }-${ JSON.parse(fs.readFileSync(path.join(ROOT, 'pkg', PKG, 'package.json'), 'utf8')).version }`;
const BUDGET_KB = 40;
const SCRIPT = path.join(ROOT, 'scripts/bundle-size.js');

/** What registration may consist of: index.ts and what it needs to declare routes, nav and tabs. */
const STARTUP_OWN = ['index.ts', 'config/product.ts', 'config/pages.ts', 'routing/routes.ts', 'routing/harvester-store.ts', 'domain/stack/constants.ts', 'package.json', 'icon.svg'];
/** The library entry vue-cli wraps it in, the shell's generated type import and the TabLocation enum. */
const STARTUP_DEPENDENCIES = /^node_modules\/(@vue\/cli-service\/lib\/commands\/build\/|@rancher\/auto-import$|@rancher\/shell\/core\/types\.ts$)/;

/** A copy of what build-pkg reads, as scripts/publish-repo.sh makes for its scratch builds. */
function scratchCopy(dir: string) {
  for (const file of ['package.json', 'yarn.lock', '.yarnrc', 'babel.config.js', 'vue.config.js', 'tsconfig.json']) {
    fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
  }
  // build-pkg links .shell itself; a link left by a build running in the work tree must not come along.
  fs.cpSync(path.join(ROOT, 'pkg'), path.join(dir, 'pkg'), { recursive: true, filter: (src) => path.basename(src) !== '.shell' });
  fs.cpSync(path.join(ROOT, 'charts', STACK_CHART), path.join(dir, 'charts', STACK_CHART), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
}

function sizeCommand(distRoot: string, budgetKb: number) {
  const run = spawnSync('node', [SCRIPT, distRoot, '--budget-kb', String(budgetKb)], { encoding: 'utf8' });

  return { status: run.status, output: `${ run.stdout }${ run.stderr }` };
}

describe('startup bundle (real build-pkg)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hnm-bundle-size-'));
  const distRoot = path.join(dir, 'dist-pkg');

  beforeAll(() => {
    scratchCopy(dir);
    execFileSync(path.join(ROOT, 'node_modules/.bin/yarn'), ['--silent', 'build-pkg', PKG], {
      cwd: dir, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0' }
    });
  }, 900000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(`keeps the startup file within ${ BUDGET_KB } KB gzipped`, () => {
    const { status, output } = sizeCommand(distRoot, BUDGET_KB);

    expect(output).toContain(`startup budget ${ BUDGET_KB } KB: within`);
    expect(status).toBe(0);
    expect(measure(distRoot).startup).toBeLessThanOrEqual(BUDGET_KB * 1024);
  });

  it('fails the size command when the startup file exceeds the budget', () => {
    const { status, output } = sizeCommand(distRoot, 1);

    expect(output).toContain('startup budget 1 KB: EXCEEDED');
    expect(status).toBe(1);
  });

  it('holds registration only in the startup file', () => {
    const { startupModules } = measure(distRoot);

    expect(startupModules).toContain('index.ts');
    expect(startupModules.filter((m) => !STARTUP_OWN.includes(m) && !STARTUP_DEPENDENCIES.test(m))).toEqual([]);
  });

  it('loads every page, tab and the l10n on demand, each from its own chunk', () => {
    const { chunks } = measure(distRoot);
    const files = chunks.map((c) => c.file);

    for (const name of ['page-overview', 'page-install', 'page-flows', 'page-grafana', 'page-security-review', 'tab-vm-network', 'tab-pod-network', 'dialog']) {
      expect(files).toContain(`${ BUNDLE }.umd.min.${ name }.js`);
    }
    expect(chunks.some((c) => c.largest === 'l10n/en-us.yaml')).toBe(true);
  });
});
