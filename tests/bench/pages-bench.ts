/**
 * Page timings in the real dashboard (the e2e build, Debian's Chromium, the e2e backend with the
 * stack installed and the seeded flows): from navigation to a rendered Flows page (map drawn, top
 * talkers and flow records listed) and to a VM's Network tab listing its peers. Prints medians;
 * asserts nothing. Run by scripts/bench.sh inside scripts/kube-apiserver.sh run.
 */
import { Locator, Page } from 'playwright-core';
import { readKubeEnv } from '../../sandbox/kube/client';
import { E2eBackend } from '../../sandbox/backend/server';
import { buildDashboard } from '../../sandbox/dashboard/build';
import {
  closeSession, openSession, pagePath, vmPath
} from '../e2e/harness/browser';
import { DASHBOARD_DIR } from '../../sandbox/paths';
import { publishedExtension } from '../../sandbox/published-repo';
import { stats } from './measure';
import {
  FLOWS_RENDERED, PEERS_LISTED, RenderedWhen, renderedAfter, startClockAtNextClick
} from './render-clock';

const RUNS = 5;
const VM = { namespace: 'vm-prod', name: 'api-0' };

const TIMEOUT = 60000;

/** A full load: from the document's navigation start to its first frame showing `when`. */
async function loaded(page: Page, path: string, when: RenderedWhen): Promise<number> {
  await page.goto(path);

  return renderedAfter(page, when, TIMEOUT);
}

/** From the click on `target` to the first frame showing `when`. */
async function afterClick(page: Page, target: Locator, when: RenderedWhen): Promise<number> {
  await startClockAtNextClick(page);
  await target.click();

  return renderedAfter(page, when, TIMEOUT);
}

const networkTab = (page: Page) => page.getByRole('tab', { name: 'Network', exact: true });

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

      figures.flowsCold.push(await loaded(page, pagePath('flows'), FLOWS_RENDERED));
      await page.goto(pagePath());
      await page.getByTestId('component-grafana').waitFor({ timeout: TIMEOUT });
      figures.flowsInApp.push(await afterClick(page, page.locator('nav').getByRole('link', { name: 'Traffic Flows', exact: true }), FLOWS_RENDERED));
      figures.vmCold.push(await loaded(page, `${ vmPath(VM.namespace, VM.name) }#network-monitoring`, PEERS_LISTED));
      await page.reload();
      await networkTab(page).waitFor({ timeout: TIMEOUT });
      figures.vmTab.push(await afterClick(page, networkTab(page), PEERS_LISTED));
      problems += session.problems.length;
      await closeSession(session);
    }
  } finally {
    await backend.stop();
  }
  const f = (k: string) => `${ stats(figures[k]).median.toFixed(0).padStart(6) } ms`;

  console.log(`pages in the real dashboard, seeded 3-node cluster, ${ RUNS } runs in /usr/bin/chromium (medians):`);
  console.log(`  Flows page, full load (dashboard boot included)   ${ f('flowsCold') }`);
  console.log(`  Flows page, from the Overview through the nav      ${ f('flowsInApp') }`);
  console.log(`  VM detail page with its Network tab, full load     ${ f('vmCold') }`);
  console.log(`  VM Network tab, from its detail page               ${ f('vmTab') }`);
  console.log(`  browser problems (errors) during the runs: ${ problems }`);
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
