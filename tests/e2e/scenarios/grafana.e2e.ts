/**
 * Grafana page in the real dashboard: the embedded dashboard through the Kubernetes service proxy
 * when Grafana answers, and a clear state when the stack is missing or Grafana is unreachable.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import expect from 'expect';
import { HOSTILE } from '../../../sandbox/backend/seed/hostile';
import {
  Session, closeSession, control, openSession, pagePath, screenshot, setStackInstalled, unexpectedProblems
} from '../harness/browser';

const FRAME = '[data-testid="grafana-frame"]';
/** What Chromium logs for each probe the unreachable Grafana answers with 503; the page shows the state itself. */
const PROBE_503 = /console\.error: Failed to load resource: the server responded with a status of 503/;

describe('Grafana page in the real dashboard', () => {
  let session: Session;

  before(async() => {
    await setStackInstalled(false);
    session = await openSession();
  });
  after(async() => {
    await closeSession(session);
    await control('POST', 'grafana', { reachable: true });
  });
  afterEach(() => expect(unexpectedProblems(session, [PROBE_503])).toEqual([]));

  it('says Grafana is not installed and links to the wizard', async() => {
    const { page } = session;

    await page.goto(pagePath('grafana'));
    const notInstalled = page.getByTestId('grafana-not-installed');

    await expect(notInstalled.innerText()).resolves.toContain('Grafana is not installed with the monitoring stack.');
    await expect(page.locator(FRAME).count()).resolves.toBe(0);
  });

  it('embeds the chosen dashboard through the service proxy when Grafana answers', async() => {
    const { page } = session;

    await setStackInstalled(true);
    await page.goto(`${ pagePath('grafana') }?dashboard=network-flow-log&range=6h&var-vm=${ encodeURIComponent(HOSTILE.imgTag) }`);
    const frame = page.locator(FRAME);

    await frame.waitFor();
    const src = await frame.getAttribute('src') || '';

    expect(src).toContain('/k8s/clusters/c-m-e2eharv1/api/v1/namespaces/harvester-network-monitoring/services/http:hnm-grafana:');
    expect(src).toContain('/proxy/d/Network_Flow_Log/');
    expect(src).toContain('from=now-6h');
    const inside = page.frameLocator(FRAME);

    await expect(inside.getByTestId('grafana-dashboard').innerText()).resolves.toBe('Network_Flow_Log');
    // The variable reached Grafana as text: nothing it contains ran, neither in the page nor in the frame.
    await expect(inside.locator('li[data-var="vm"]').innerText()).resolves.toBe(`vm = ${ HOSTILE.imgTag }`);
    await expect(page.evaluate(() => (window as any).__xss)).resolves.toBeUndefined();
    await screenshot(session, 'grafana-ready');
  });

  it('switches dashboards from the selector', async() => {
    const { page } = session;

    await page.getByTestId('grafana-dashboard').click();
    await page.getByRole('option', { name: 'Network - K8s Pod Map' }).click();
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('src')?.includes('/d/Network_K8s_Pod_Map/'), FRAME);
    await expect(page.frameLocator(FRAME).getByTestId('grafana-dashboard').innerText()).resolves.toBe('Network_K8s_Pod_Map');
  });

  it('explains an unreachable Grafana and recovers on retry once it answers again', async() => {
    const { page } = session;

    await control('POST', 'grafana', { reachable: false });
    await page.reload();
    const state = page.getByTestId('grafana-state-unreachable');

    await state.waitFor({ timeout: 30000 });
    await expect(state.innerText()).resolves.toContain('A NetworkPolicy in namespace harvester-network-monitoring probably blocks them');
    await expect(page.locator(FRAME).count()).resolves.toBe(0);
    await screenshot(session, 'grafana-unreachable');

    await control('POST', 'grafana', { reachable: true });
    await page.getByTestId('grafana-retry').click();
    await page.locator(FRAME).waitFor();
  });
});
