/**
 * The install wizard end to end in the real dashboard, on the cluster without the stack: the
 * prerequisites it checks against the seeded cluster, fields refused until they are valid, one
 * click that writes exactly the namespace and the Addon, and the Overview following the Addon's
 * status as the Addon controller stand-in deploys it.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import expect from 'expect';
import { load } from 'js-yaml';
import { Page } from 'playwright-core';
import {
  Session, closeSession, control, eventually, openSession, pagePath, screenshot, setStackInstalled, unexpectedProblems
} from '../harness/browser';
import {
  ADDON_NAME, CLUSTER_ID, EXTENSION_REPO_URL, NODES, STACK_NAMESPACE
} from '../../../sandbox/backend/seed/constants';
import { chartVersion } from '../../../sandbox/backend/seed/stack';
import type { RecordedWrite } from '../../../sandbox/backend/server';

const KUBE = `/k8s/clusters/${ CLUSTER_ID }/v1/harvester`;
/**
 * What changed the cluster: permission checks are POSTs too, but they only ask (the dashboard's own
 * user-preference writes go to Rancher, not to the cluster).
 */
const changesCluster = (w: RecordedWrite) => w.path.startsWith(`/k8s/clusters/${ CLUSTER_ID }/`) && !w.path.includes('selfsubjectaccessreviews');

/** What Chromium logs when the install asks whether the namespace exists yet (it does not: 404, handled). */
const NAMESPACE_PROBE = new RegExp(`console\\.error: Failed to load resource: the server responded with a status of 404 .*${ KUBE }/namespaces/${ STACK_NAMESPACE }\\?`);

const footer = (page: Page) => page.locator('#wizard-footer-controls');

/**
 * The NetworkPolicy node sources the wizard must propose: exactly each seeded node's InternalIP and the
 * first address of its podCIDR (flannel.1 on Canal), nothing broader. Every seeded node is a control-plane
 * node, so the API-server sources are left to default to these.
 */
const SEEDED_NODE_CIDRS = [...NODES.map((n) => `${ n.ip }/32`), ...NODES.map((n) => `10.52.${ n.podCidr }.0/32`)].sort();

async function next(page: Page, step: string): Promise<void> {
  await footer(page).getByRole('button', { name: 'Next', exact: true }).click();
  await page.getByTestId(step).waitFor();
}

/** The shell's LabeledInput puts our test id on the <input> itself. */
const field = (page: Page, name: string) => page.getByTestId(`field-${ name }`);

/** The values YAML in the wizard's summary: the text of the shell's YamlEditor (CodeMirror 5). */
async function valuesYaml(page: Page): Promise<string> {
  return page.locator('[data-testid="values-yaml"] .CodeMirror').evaluate((el: any) => el.CodeMirror.getValue());
}

describe('Install wizard in the real dashboard', () => {
  let session: Session;

  before(async() => {
    await setStackInstalled(false);
    await control('DELETE', 'writes');
    session = await openSession();
  });
  after(async() => {
    await control('POST', 'addon-controller', { hold: false });
    await closeSession(session);
  });
  afterEach(() => expect(unexpectedProblems(session, [NAMESPACE_PROBE])).toEqual([]));

  it('checks the prerequisites against the cluster', async() => {
    const { page } = session;

    await page.goto(pagePath('install'));
    await page.getByTestId('prerequisites').waitFor();
    // Checked live: a 3-node Harvester v1.4.1 with a default StorageClass, an admin, no stack yet.
    const checks = page.locator('[data-testid^="prereq-"][data-result]');

    await eventually(async() => expect(await checks.count()).toBe(7));
    const results = Object.fromEntries(await checks.evaluateAll((items) => items.map((li) => [li.getAttribute('data-testid'), li.getAttribute('data-result')])));

    expect(results).toEqual({
      'prereq-harvester-version': 'pass',
      'prereq-node-count':        'pass',
      'prereq-kernel':            'warn', // one seeded node's kernel predates eBPF (AGENT_SCENARIO.oldKernel): a warning, not a blocker
      'prereq-storage-class':     'pass',
      'prereq-capacity':          'pass',
      'prereq-permissions':       'pass',
      'prereq-existing-install':  'pass',
    });
    await expect(page.getByTestId('prereq-harvester-version').innerText()).resolves.toContain('v1.4.1');
    await expect(page.getByTestId('prereq-blocked').count()).resolves.toBe(0);
    // Nothing is wrong yet, so nothing says so (the review's acknowledgement is asked for on its own step).
    await expect(page.getByText('Fix the highlighted fields first').count()).resolves.toBe(0);

    expect(await page.locator('body').innerText()).not.toMatch(/%networkMonitoring\.[\w.]+%/);
    await screenshot(session, 'wizard-prerequisites');
  });

  it('refuses invalid sizes and passwords next to their fields, and keeps what was typed', async() => {
    const { page } = session;

    await next(page, 'sizing-step');
    // Help text sits under its field, clear of the next row (the shell's sub-label would overlap it).
    const help = (await page.locator('#hnm-help-replicas').boundingBox())!;
    const nextRow = (await field(page, 'clickhouseStorage').locator('xpath=ancestor::div[contains(@class, "labeled-input")][1]').boundingBox())!;

    expect(help.height).toBeGreaterThan(0);
    expect(help.y + help.height).toBeLessThanOrEqual(nextRow.y);
    await field(page, 'clickhouseStorage').fill('lots');
    await page.getByTestId('field-error-clickhouseStorage').getByText('Enter a size between').waitFor();
    // Next stays disabled while a field is wrong, and the wizard says where.
    await page.getByText('Fix the highlighted fields first: Sizing and storage', { exact: true }).waitFor();
    await expect(footer(page).getByRole('button', { name: 'Next', exact: true }).isDisabled()).resolves.toBe(true);
    await screenshot(session, 'wizard-sizing-invalid');
    await field(page, 'clickhouseStorage').fill('40Gi');
    await page.getByTestId('field-error-clickhouseStorage').waitFor({ state: 'detached' });

    await next(page, 'access-step');
    // The node sources are proposed from the seeded Node objects, with why, and stay editable.
    await expect(field(page, 'network.nodeCIDRs').inputValue()).resolves.toBe(SEEDED_NODE_CIDRS.join(', '));
    await expect(field(page, 'network.apiServerCIDRs').inputValue()).resolves.toBe('');
    await page.getByTestId(`network-proposal-${ NODES[0].name }`).getByText(`${ NODES[0].ip }/32: InternalIP`).waitFor();
    await expect(page.getByTestId('network-broad').count()).resolves.toBe(0);
    // A typed password must be long enough and confirmed; generating one needs neither.
    await field(page, 'grafana.generatePassword').click();
    await field(page, 'grafana.password').fill('short');
    await page.getByTestId('field-error-grafana.password').getByText('The password needs at least 12 characters.').waitFor();
    await field(page, 'grafana.password').fill('correct-horse-battery');
    await field(page, 'grafana.passwordConfirm').fill('correct-horse-batter');
    await page.getByTestId('field-error-grafana.passwordConfirm').getByText('The passwords do not match.').waitFor();
    await field(page, 'grafana.generatePassword').click();
    await field(page, 'grafana.password').waitFor({ state: 'detached' });
    await page.getByText('Fix the highlighted fields first').waitFor({ state: 'detached' });

    // Going back shows the corrected value, not the default.
    await footer(page).getByRole('button', { name: 'Previous', exact: true }).click();
    await expect(field(page, 'clickhouseStorage').inputValue()).resolves.toBe('40Gi');
    await next(page, 'access-step');
  });

  it('needs the security review acknowledged before it installs', async() => {
    const { page } = session;

    await next(page, 'agents-step');
    // DeepFlow's special environments: MACVlan secondary NICs, a load balancer for registration, the watcher's node.
    await field(page, 'agents.secondaryNics.type').getByText('MACVlan', { exact: true }).click();
    await field(page, 'agents.secondaryNics.parentInterfaces').fill('eth1, bond0:1');
    await page.getByTestId('field-error-agents.secondaryNics.parentInterfaces').getByText('bond0:1 is not an interface name', { exact: false }).waitFor();
    await field(page, 'agents.secondaryNics.parentInterfaces').fill('eth1, bond0.100');
    await field(page, 'agents.serverAddress').fill('lb.example.com');
    await page.getByTestId('field-error-agents.serverAddress').getByText('lb.example.com is not an IPv4 or IPv6 address.').waitFor();
    await page.getByText('Fix the highlighted fields first: Agents', { exact: true }).waitFor();
    await field(page, 'agents.serverAddress').fill('192.168.10.50');
    await field(page, 'agents.serverPort').fill('30035');
    await field(page, 'agents.watcherNode').click();
    await page.getByRole('option', { name: NODES[2].name, exact: true }).click();
    await page.getByText('Fix the highlighted fields first').waitFor({ state: 'detached' });
    await screenshot(session, 'wizard-agents');
    await next(page, 'review-step');
    await page.getByText('Fix the highlighted fields first: Security review', { exact: true }).waitFor();
    await screenshot(session, 'wizard-review');
    await page.getByTestId('review-acknowledge').click();
    await page.getByText('Fix the highlighted fields first').waitFor({ state: 'detached' });

    await next(page, 'summary-step');
    const values = load(await valuesYaml(page)) as any;

    expect(values.clickhouse.persistence.size).toBe('40Gi');
    expect(values.networkPolicy).toEqual({ nodeCIDRs: SEEDED_NODE_CIDRS });
    expect(values.agent).toEqual({
      secondaryNics: { type: 'macvlan', parentInterfaces: ['eth1', 'bond0.100'] },
      server:        { address: '192.168.10.50', port: 30035 },
      watcher:       { nodeName: NODES[2].name },
    });
    await expect(field(page, 'repo').inputValue()).resolves.toBe(EXTENSION_REPO_URL);
    await screenshot(session, 'wizard-summary');
  });

  it('installs exactly one namespace and one Addon, then follows the Addon until the stack is healthy', async() => {
    const { page } = session;
    const valuesText = await valuesYaml(page);

    // The controller keeps the Addon in AddonEnabling until released, however fast this machine is.
    await control('POST', 'addon-controller', { hold: true });
    await footer(page).getByRole('button', { name: 'Install', exact: true }).click();
    await page.waitForURL(`**${ pagePath() }`);

    const writes = (await control<RecordedWrite[]>('GET', 'writes')).filter(changesCluster);

    expect(writes.map((w) => `${ w.method } ${ w.path } ${ w.status }`)).toEqual([
      `POST ${ KUBE }/namespaces 201`,
      // Steve creates a namespaced object by a POST to its namespace's collection.
      `POST ${ KUBE }/harvesterhci.io.addons/${ STACK_NAMESPACE } 201`,
    ]);
    const namespace = writes[0].body as { metadata: { name: string; labels: Record<string, string> } };

    expect(namespace.metadata.name).toBe(STACK_NAMESPACE);
    expect(namespace.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': expect.any(String) });
    expect(writes[1].body).toMatchObject({
      apiVersion: 'harvesterhci.io/v1beta1',
      kind:       'Addon',
      metadata:   { name: ADDON_NAME, namespace: STACK_NAMESPACE },
      spec:       {
        repo: EXTENSION_REPO_URL, chart: 'harvester-network-monitoring-stack', version: chartVersion(), enabled: true, valuesContent: valuesText
      },
    });

    // The Overview follows the Addon live: installing, with what is still starting...
    const state = page.getByTestId('stack-state');

    await state.getByText('Installing', { exact: true }).waitFor({ timeout: 30000 });
    await page.getByTestId('stack-help').getByText('The stack is being deployed.').waitFor();
    await page.getByTestId('progress-panel').waitFor();
    // A stack pod that cannot pull its image shows up without a reload (the chart's pods are watched by their label,
    // whatever namespace the shell's last namespaced pod watch was for; this step failed on a slow machine before).
    await eventually(async() => {
      expect((await control<{ pod?: string }>('POST', 'stack-pod-waiting', { reason: 'ImagePullBackOff' })).pod).toBeTruthy();
    }, 30000);
    await page.getByTestId('progress-panel').getByText('ImagePullBackOff').first().waitFor({ timeout: 30000 });
    await screenshot(session, 'wizard-installing');

    // ...then healthy, without a reload.
    await control('POST', 'addon-controller', { hold: false });
    await state.getByText('Healthy', { exact: true }).waitFor({ timeout: 60000 });
    for (const component of ['agent', 'server', 'clickhouse', 'mysql', 'grafana']) {
      await page.getByTestId(`component-${ component }`).waitFor();
    }
    await screenshot(session, 'wizard-installed');
  });
});
