/**
 * Page timings in the real dashboard (the e2e build, Debian's Chromium, the e2e backend with the
 * stack installed and the seeded flows): from navigation to a rendered Flows page (map drawn, top
 * talkers and flow records listed) and to a VM's Network tab listing its peers. Prints medians;
 * asserts nothing. Run by scripts/bench.sh inside scripts/kube-apiserver.sh run.
 */
import { Page } from 'playwright-core';
import { readKubeEnv } from '../../sandbox/kube/client';
import { E2eBackend } from '../../sandbox/backend/server';
import { buildDashboard } from '../../sandbox/dashboard/build';
import {
  closeSession, openSession, pagePath, vmPath
} from '../e2e/harness/browser';
import { DASHBOARD_DIR } from '../../sandbox/paths';
import { publishedExtension } from '../../sandbox/published-repo';

const RUNS = 5;
const VM = { namespace: 'vm-prod', name: 'api-0' };

async function flowsRendered(page: Page): Promise<void> {
  await Promise.all([
    page.locator('[data-testid="map-canvas"][aria-label]').waitFor({ timeout: 60000 }),
    page.locator('[data-testid="talkers-table-list-container"] tr.main-row').first().waitFor({ timeout: 60000 }),
    page.locator('[data-testid="records-table-list-container"] tr.main-row').first().waitFor({ timeout: 60000 }),
  ]);
}

async function networkTabRendered(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Network', exact: true }).click();
  await page.locator('[data-testid="peers-table-list-container"] tr.main-row').first().waitFor({ timeout: 60000 });
}

async function timed(action: () => Promise<void>): Promise<number> {
  const start = performance.now();

  await action();

  return performance.now() - start;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

async function main(): Promise<void> {
  const extension = await publishedExtension();

  await buildDashboard();
  const backend = new E2eBackend({ kubeEnv: readKubeEnv(), dashboardDir: DASHBOARD_DIR, extensions: [extension] });

  process.env.E2E_URL = await backend.start();
  await backend.installStack();
  const figures: Record<string, number[]> = {
    flowsCold: [], flowsInApp: [], vmCold: [], vmTab: []
  };
  let problems = 0;

  try {
    for (let run = 0; run < RUNS; run++) {
      // A fresh browser profile each run: nothing cached, the dashboard boots from scratch.
      const session = await openSession();
      const { page } = session;

      figures.flowsCold.push(await timed(async() => {
        await page.goto(pagePath('flows'));
        await flowsRendered(page);
      }));
      await page.goto(pagePath());
      await page.getByTestId('component-grafana').waitFor({ timeout: 60000 });
      figures.flowsInApp.push(await timed(async() => {
        await page.locator('nav').getByRole('link', { name: 'Traffic Flows', exact: true }).click();
        await flowsRendered(page);
      }));
      figures.vmCold.push(await timed(async() => {
        await page.goto(vmPath(VM.namespace, VM.name));
        await networkTabRendered(page);
      }));
      await page.reload();
      await page.getByRole('tab', { name: 'Network', exact: true }).waitFor({ timeout: 60000 });
      figures.vmTab.push(await timed(() => networkTabRendered(page)));
      problems += session.problems.length;
      await closeSession(session);
    }
  } finally {
    await backend.stop();
  }
  const f = (k: string) => `${ median(figures[k]).toFixed(0).padStart(6) } ms`;

  console.log(`pages in the real dashboard, seeded 3-node cluster, ${ RUNS } runs in /usr/bin/chromium (medians):`);
  console.log(`  Flows page, full load (dashboard boot included)   ${ f('flowsCold') }`);
  console.log(`  Flows page, from the Overview through the nav      ${ f('flowsInApp') }`);
  console.log(`  VM detail page, full load, then its Network tab   ${ f('vmCold') }`);
  console.log(`  VM Network tab, from its detail page               ${ f('vmTab') }`);
  console.log(`  browser problems (errors) during the runs: ${ problems }`);
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
