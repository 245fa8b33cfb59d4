/**
 * The dashboard boots with the extension loaded, the Harvester cluster opens, "Network Monitoring"
 * is in the navigation, and the Overview shows the stack's real state: not installed, then healthy.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import expect from 'expect';
import {
  Session, closeSession, openSession, pagePath, screenshot, setStackInstalled, unexpectedProblems
} from '../harness/browser';
import { AGENT_SCENARIO, NODES } from '../../../sandbox/backend/seed/constants';

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

  it('gives each node with a seeded agent problem its sentence in the agents table, and the healthy node none', async() => {
    const { page } = session;
    const {
      healthyNode, uncapturedBridge, oldKernel, dropsNode, exceptionNode
    } = AGENT_SCENARIO;
    const bridgeSentence = new RegExp(`^Traffic on cluster network ${ uncapturedBridge.clusterNetwork } \\(bridge ${ uncapturedBridge.clusterNetwork }-br\\) is not captured`);
    const kernelSentence = new RegExp(`^Kernel ${ oldKernel.kernel.replace(/\./g, '\\.') } is older than every kernel in DeepFlow's table: no eBPF features`);
    const expected: Record<string, RegExp[]> = { [healthyNode]: [], [dropsNode]: [/^The kernel dropped \d+ packets in the last 15 minutes/, /^The agent dropped \d+ packets in its flow table/] };

    // Problems are listed pod, statistics, registration, DeepFlow state and exceptions, capture, kernel: the seed
    // puts several on one node. The exception bit comes from DeepFlow's controller list, read through the chart's
    // read-only agent-state proxy (the backend answers it in DeepFlow 7.1.8's shape).
    expect(exceptionNode.bit).toBe(64);
    expected[exceptionNode.node] = [...(expected[exceptionNode.node] ?? []), /^The agent hit its capture rate limit and skipped packets \(RX_PPS_THRESHOLD_EXCEEDED\)\.\s*Raise inputs\.cbpf\.tunning\.max_capture_pps/];
    expected[uncapturedBridge.node] = [...(expected[uncapturedBridge.node] ?? []), bridgeSentence];
    expected[oldKernel.node] = [...(expected[oldKernel.node] ?? []), kernelSentence];

    await page.getByTestId('agent-health-table-list-container').waitFor();
    for (const node of NODES.map((n) => n.name)) {
      await page.getByTestId(`agent-status-${ node }`).waitFor();
      const sentences = await page.getByTestId(`agent-problem-${ node }`).allInnerTexts();
      const wanted = expected[node] ?? [];

      // Exactly the seeded problems, each with its fix; a node without one shows none.
      expect([node, sentences.length === wanted.length ? wanted.length : sentences]).toEqual([node, wanted.length]);
      wanted.forEach((re, i) => expect(sentences[i]).toMatch(re));
      await expect(page.getByTestId(`agent-status-${ node }`).innerText()).resolves.toBe(wanted.length ? 'Problems' : 'Healthy');
      // Registration from DeepFlow's agent list (DeepFlow names a node's agent <node>-P<id>); the DeepFlow state
      // from the controller's list.
      await expect(page.getByTestId(`agent-registration-${ node }`).innerText()).resolves.toMatch(new RegExp(`^Registered as ${ node }-P\\d+$`));
      await expect(page.getByTestId(`agent-state-${ node }`).innerText()).resolves.toBe('DeepFlow state: running');
    }
    await expect(page.getByTestId(`agent-problems-${ oldKernel.node }`).innerText()).resolves.toContain('Network flows from packet capture still work');
    // Readable at the harness's 1440 px: the table fits its column of the page, nothing scrolls sideways.
    const widths = await page.getByTestId('agent-health-table-list-container').evaluate((el) => ({
      table: el.scrollWidth, room: el.clientWidth, page: document.documentElement.scrollWidth, viewport: window.innerWidth
    }));

    expect(widths.table).toBeLessThanOrEqual(widths.room);
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    await page.getByTestId('agent-health-table-list-container').scrollIntoViewIfNeeded();
    await screenshot(session, 'overview-agents');
  });

  it('links each monitored node to the Harvester Agents dashboard in the embedded Grafana, filtered to the node', async() => {
    const { page } = session;
    const node = AGENT_SCENARIO.dropsNode;
    const link = page.getByTestId(`agent-dashboard-${ node }`);

    await link.waitFor();
    const href = (await link.getAttribute('href')) as string;

    expect(href).toContain('/proxy/d/harvester-agents/harvester-agents?');
    expect(new URL(href, 'http://x').searchParams.get('var-node')).toBe(node);
    // The Grafana stand-in serves the provisioned dashboard with the node variable.
    const dashboard = await page.context().newPage();

    try {
      await dashboard.goto(href);
      await expect(dashboard.getByTestId('grafana-dashboard').innerText()).resolves.toBe('harvester-agents');
      await expect(dashboard.locator('li[data-var="node"]').innerText()).resolves.toBe(`node = ${ node }`);
    } finally {
      await dashboard.close();
    }
  });
});
