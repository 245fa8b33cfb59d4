/**
 * The dashboard boots with the extension loaded, the Harvester cluster opens, "Network Monitoring"
 * is in the navigation, and the Overview shows the stack's real state: not installed, then healthy.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import expect from 'expect';
import {
  Session, closeSession, openSession, pagePath, screenshot, setStackInstalled, unexpectedProblems
} from '../harness/browser';

describe('Overview in the real dashboard', () => {
  let session: Session;

  before(async() => {
    await setStackInstalled(false);
    session = await openSession();
  });
  after(() => closeSession(session));
  afterEach(() => expect(unexpectedProblems(session)).toEqual([]));

  it('boots into the Harvester cluster with our navigation group', async() => {
    const { page } = session;

    await page.goto(pagePath());
    const nav = page.locator('nav');

    await nav.getByText('Network Monitoring', { exact: true }).waitFor();
    for (const entry of ['Overview', 'Traffic Flows', 'Grafana Dashboards', 'Security Review']) {
      await expect(nav.getByRole('link', { name: entry, exact: true }).count()).resolves.toBe(1);
    }
    // No untranslated keys anywhere: the shell shows a missing string as %key%.
    await page.getByText('DeepFlow eBPF network monitoring for this Harvester cluster').waitFor();
    expect(await page.locator('body').innerText()).not.toMatch(/%networkMonitoring\.[\w.]+%/);
    await screenshot(session, 'overview-not-installed');
  });

  it('says the stack is not installed and offers the install wizard', async() => {
    const { page } = session;

    await page.getByText('The monitoring stack is not installed on this cluster').waitFor();
    await page.getByTestId('action-install').click();
    await page.waitForURL(`**${ pagePath('install') }`);
  });

  it('shows a healthy stack with every component once it is installed', async() => {
    const { page } = session;

    await setStackInstalled(true);
    await page.goto(pagePath());
    for (const component of ['agent', 'server', 'clickhouse', 'mysql', 'grafana']) {
      await page.getByTestId(`component-${ component }`).waitFor();
    }
    await page.getByText('Healthy', { exact: true }).first().waitFor();
    await screenshot(session, 'overview-installed');
  });
});
