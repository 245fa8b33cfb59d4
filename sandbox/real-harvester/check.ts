/**
 * Manual check of the sandbox against the REAL Harvester UI extension (not a CI test: building that
 * dashboard downloads packages). It starts the sandbox backend with a dashboard built from
 * @rancher/shell 3.0.8 + harvester-ui-extension's pkg/harvester + our pkg, walks the pages a user
 * walks and prints, per step, the uncaught errors, console errors and failed requests.
 *
 * Building that dashboard (once, outside the repository):
 *   1. harvester-ui-extension at tag v1.7.3 (github.com/harvester/harvester-ui-extension): copy its
 *      pkg/harvester into <app>/pkg/harvester; symlink our pkg/harvester-network-monitoring, charts/,
 *      babel.config.js, tsconfig.json and package.json into <app>.
 *   2. <app>/node_modules: a symlink per entry of our node_modules, plus color@4.2.3, yaml@2 and
 *      vue-draggable-next@2 installed with `npm install --legacy-peer-deps --install-strategy=nested`
 *      and copied in (pkg/harvester needs them; the shell does not ship them).
 *   3. <app>/vue.config.js: `module.exports = require('<repo>/sandbox/dashboard/vue.config.js')(__dirname,
 *      { repoRoot: '/', cacheDir: '<cache dir>' })`, then in <app>:
 *      NODE_ENV=dev OUTPUT_DIR=<dashboard dir> API=http://127.0.0.1:1 <repo>/node_modules/.bin/vue-cli-service build
 *
 * Running it (holds the cluster lock while the API server runs):
 *   flock /tmp/hnm-cluster.lock env PATH=$PWD/.tools/bin:$PATH KUBE_RUN_DIR=$PWD/.tools/kube/e2e-run KUBE_SERVICE_CIDR=10.53.0.0/16 \
 *     scripts/kube-apiserver.sh run -- node --require ./sandbox/register.js sandbox/real-harvester/check.ts <dashboard dir>
 * Screenshots go to E2E_ARTIFACTS_DIR (default tmp/e2e)/screenshots, named real-harvester-<step>.
 * Given dist/sandbox/dashboard instead (the Harvester stand-in), the same walk compares the stand-in with the real one;
 * add --published-extension then: that dashboard loads our extension at runtime from the published bundle, as
 * tests/e2e/run.ts serves it (the real-extension dashboard above has it built in).
 */
import { Page } from 'playwright-core';
import { readKubeEnv } from '../kube/client';
import { E2eBackend } from '../backend/server';
import { publishedExtension } from '../published-repo';
import { CLUSTER_ID, HARVESTER_VERSION } from '../backend/seed/constants';
import { kubePath } from '../backend/kube-source';
import { typeById, CLUSTER_TYPES } from '../backend/types';
import {
  Session, closeSession, openSession, pagePath, screenshot, unexpectedProblems, vmPath
} from '../../tests/e2e/harness/browser';

interface Step { name: string; run: (page: Page) => Promise<void> }

/**
 * What the real product logs by itself, whatever the backend serves (harvester-ui-extension v1.7.3 with shell 3.0.8):
 * listed apart from the sandbox's gaps.
 */
const REAL_PRODUCT_NOISE: { pattern: RegExp; why: string }[] = [
  { pattern: /containerIsInit is not a function/, why: 'the shell\'s detail/pod.vue calls the shell pod model\'s containerIsInit; Harvester\'s pod model has none' },
  { pattern: /Unknown schema for type: namespace/, why: 'the shell\'s detail/pod.vue finds the namespace in the `cluster` store, which the Harvester product does not load' },
  { pattern: /only supports Harvester cluster version >= 1\.3\.0/, why: 'utils/feature-flags.js logs an unsupported version' },
  { pattern: /Socket refusing to connect while another socket exists/, why: 'the shell, when leaving a cluster for the unsupported page' },
];

const HARVESTER = `/harvester/c/${ CLUSTER_ID }`;

/** Waits until the page made no request for a while: these pages have no common "loaded" marker. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => undefined);
  await page.waitForTimeout(1500);
}

async function openNetworkTab(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Network', exact: true }).click({ timeout: 30_000 });
  await settle(page);
}

/** Harvester's `server-version` setting, as the cluster's Harvester would report it. */
async function setServerVersion(backend: E2eBackend, value: string): Promise<void> {
  const path = kubePath(typeById(CLUSTER_TYPES, 'harvesterhci.io.setting'), undefined, 'server-version');
  const current = (await backend.kube.request('GET', path)).body;

  await backend.kube.request('PUT', path, { ...current, value });
}

function steps(backend: E2eBackend, podPath: string, launcherPath: string): Step[] {
  return [
    { name: 'dashboard', run: (page) => page.goto(HARVESTER).then(() => settle(page)) },
    { name: 'vm-list', run: (page) => page.goto(`${ HARVESTER }/kubevirt.io.virtualmachine`).then(() => settle(page)) },
    {
      name: 'vm-detail-by-link',
      run:  async(page) => {
        await page.getByRole('link', { name: 'web-0', exact: true }).first().click({ timeout: 30_000 });
        await settle(page);
        await openNetworkTab(page);
      }
    },
    {
      name: 'vm-detail-direct',
      run:  async(page) => {
        await page.goto(vmPath('vm-prod', 'web-1'));
        await settle(page);
        await openNetworkTab(page);
      }
    },
    {
      name: 'pod-detail',
      run:  async(page) => {
        await page.goto(podPath);
        await settle(page);
        await openNetworkTab(page);
      }
    },
    {
      name: 'launcher-pod-detail',
      run:  async(page) => {
        await page.goto(launcherPath);
        await settle(page);
        await openNetworkTab(page);
      }
    },
    ...['', 'flows', 'grafana', 'security-review'].map((p): Step => ({ name: `page-${ p || 'overview' }`, run: (page) => page.goto(pagePath(p)).then(() => settle(page)) })),
    {
      // A cluster older than Harvester's UI supports: it sends the user to its "unsupported" page.
      name: 'unsupported-version',
      run:  async(page) => {
        await setServerVersion(backend, 'v1.2.2');
        try {
          await page.goto(`${ HARVESTER }/kubevirt.io.virtualmachine`);
          await settle(page);
          console.log(`  (v1.2.2 ended at ${ new URL(page.url()).pathname }: ${ (await page.locator('main').first().innerText()).replace(/\s+/g, ' ').slice(0, 200) })`);
        } finally {
          await setServerVersion(backend, HARVESTER_VERSION);
        }
      }
    },
  ];
}

async function main(): Promise<number> {
  const dashboardDir = process.argv[2];

  if (!dashboardDir) {
    throw new Error('usage: check.ts <dashboard dir> [--installed] [--published-extension]');
  }
  const extensions = process.argv.includes('--published-extension') ? [await publishedExtension()] : [];
  const backend = new E2eBackend({ kubeEnv: readKubeEnv(), dashboardDir, extensions });
  let session: Session | undefined;
  let problemsTotal = 0;

  try {
    process.env.E2E_URL = await backend.start();
    if (process.argv.includes('--installed')) {
      await backend.installStack();
    }
    const { objects } = await backend.cluster.list(typeById(CLUSTER_TYPES, 'pod'));
    const pod = objects.find((p) => p.metadata.namespace === 'shop');
    const launcher = objects.find((p) => p.metadata.labels?.['vm.kubevirt.io/name'] === 'web-0');

    session = await openSession();
    const failed: string[] = [];

    session.page.on('response', (r) => r.status() >= 400 && failed.push(`${ r.status() } ${ r.request().method() } ${ r.url() }`));
    for (const step of steps(backend, `${ HARVESTER }/pod/shop/${ pod?.metadata.name }`, `${ HARVESTER }/pod/vm-prod/${ launcher?.metadata.name }`)) {
      let outcome = 'ok';

      try {
        await step.run(session.page);
      } catch (e) {
        outcome = `step failed: ${ (e as Error).message.split('\n')[0] }`;
      }
      await screenshot(session, `real-harvester-${ step.name }`);
      const all = [...unexpectedProblems(session), ...failed.splice(0).map((f) => `failed request: ${ f }`)];
      const noise = all.filter((p) => REAL_PRODUCT_NOISE.some((n) => n.pattern.test(p)));
      const problems = all.filter((p) => !noise.includes(p));

      problemsTotal += problems.length + (outcome === 'ok' ? 0 : 1);
      console.log(`\n## ${ step.name } (${ session.page.url().replace(process.env.E2E_URL, '') }): ${ outcome }, ${ problems.length } problem(s)`);
      problems.forEach((p) => console.log(`  - ${ p.split('\n').slice(0, 8).join('\n    ') }`));
      noise.forEach((p) => console.log(`  = real product: ${ p.split('\n')[0] } (${ REAL_PRODUCT_NOISE.find((n) => n.pattern.test(p))?.why })`));
    }
  } finally {
    await closeSession(session);
    await backend.stop();
  }
  console.log(`\nreal-harvester check: ${ problemsTotal } problem(s)`);

  return problemsTotal ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(1);
});
