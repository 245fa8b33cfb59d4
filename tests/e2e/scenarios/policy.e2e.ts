/**
 * NetworkPolicy verdicts and proposals in the real dashboard: the seeded policy shop/cart-from-frontend
 * (backend/seed/policies.ts) is named as the rule that allows the frontend -> cart flows; a VM's
 * proposal shows its dry-run counts; Apply creates exactly one NetworkPolicy in the real
 * kube-apiserver, equal to the YAML the confirmation showed; hostile flow tags stay text.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import expect from 'expect';
import { load } from 'js-yaml';
import { CLUSTER_ID } from '../../../sandbox/backend/seed/constants';
import { POLICY_SEED } from '../../../sandbox/backend/seed/policies';
import {
  Session, backendUrl, closeSession, control, openSession, pagePath, screenshot, unexpectedProblems, vmPath
} from '../harness/browser';

const VM = { namespace: 'vm-prod', name: 'api-0' };
const POLICIES_PATH = `/k8s/clusters/${ CLUSTER_ID }/apis/networking.k8s.io/v1/namespaces/${ VM.namespace }/networkpolicies`;

/** The NetworkPolicies of the VM's namespace, read from the real API server through the backend. */
async function listPolicies(): Promise<any[]> {
  const response = await fetch(`${ backendUrl() }${ POLICIES_PATH }`, { headers: { accept: 'application/json' } });

  expect(response.status).toBe(200);

  return ((await response.json()) as any).items;
}

describe('NetworkPolicy verdicts and proposals in the real dashboard', () => {
  let session: Session;

  before(async() => {
    await control('POST', 'stack', { installed: true });
    session = await openSession();
  });
  after(() => closeSession(session));
  afterEach(() => expect(unexpectedProblems(session)).toEqual([]));

  it('shows the verdict and the matched rule of a flow, and filters by policy', async() => {
    const { page } = session;

    await page.goto(`${ pagePath('flows') }?namespace=${ POLICY_SEED.cart.namespace }`);
    await page.getByTestId('flow-map').waitFor();
    await page.getByTestId('map-toggle-table').click();
    const rule = `allowed by ${ POLICY_SEED.cart.namespace }/${ POLICY_SEED.cart.name }, ingress rule 1: from pods app.kubernetes.io/name=frontend in shop, on TCP 8080`;
    // The map's conversation list is a SortableTable: its rows are `tr.main-row` under `<testid>-list-container`.
    const conversationRows = page.getByTestId('conversations-table-list-container').locator('tbody > tr.main-row');
    const row = conversationRows.filter({ hasText: rule }).first();

    await row.waitFor();
    await expect(row.getByTestId('policy-verdict-label').innerText()).resolves.toBe('Allowed');
    await expect(row.innerText()).resolves.toMatch(/shop\/frontend-/);
    await expect(row.innerText()).resolves.toMatch(/shop\/cart-/);
    await page.locator('[data-testid="records-table-list-container"] th').filter({ hasText: /^Policy$/ }).waitFor();
    await screenshot(session, 'policy-flow-verdicts');

    // Flows no policy restricts: the cart's flows are restricted, so none is left in the table.
    await page.getByTestId('flows-policy-filter').click();
    await page.getByRole('option', { name: 'Flows that no policy restricts' }).click();
    await page.waitForURL(/[?&]policy=unrestricted(&|$)/);
    await page.getByTestId('flows-policy-note').waitFor();
    await conversationRows.first().waitFor();
    await expect(conversationRows.filter({ hasText: rule }).count()).resolves.toBe(0);
    await expect(conversationRows.count()).resolves.toBeGreaterThan(0);
    // Hostile flow tags and names in the seed stay text.
    await expect(page.evaluate(() => (window as any).__xss)).resolves.toBeUndefined();
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
  });

  it('proposes a policy for a VM with its dry run, and applies exactly the YAML shown', async() => {
    const { page } = session;
    const before = await listPolicies();

    await page.goto(vmPath(VM.namespace, VM.name));
    await page.getByRole('tab', { name: 'Network', exact: true }).click();
    const tab = page.getByTestId('vm-network-tab');

    // Each peer's verdict, in the row under it.
    await tab.locator('[data-testid="peers-table-list-container"] [data-testid="peer-verdict"] [data-testid="policy-verdict"]').first().waitFor();
    await tab.getByTestId('peers-table-list-container').scrollIntoViewIfNeeded();
    await screenshot(session, 'policy-peer-verdicts');
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    await tab.getByTestId('subject-propose-policy').click();
    const proposal = tab.getByTestId('policy-proposal');
    const counts = proposal.locator('[data-testid="policy-dry-run-counts-list-container"] > table > tbody > tr.main-row');

    await counts.nth(1).waitFor();
    const cells = async(i: number) => (await counts.nth(i).locator('td').allInnerTexts()).map((c) => c.trim());
    const [windowLabel, total, allowed, cut, unknown, notEnforced] = await cells(0);

    expect(windowLabel).toBe('Last hour');
    expect(Number(total)).toBeGreaterThan(0);
    expect(Number(allowed) + Number(cut) + Number(unknown) + Number(notEnforced)).toBe(Number(total));
    // The proposal allows every flow it was built from: what it cuts can only be flows it skipped.
    expect(Number(cut)).toBe(0);
    expect((await cells(1))[0]).toBe('Last 7 days (hourly data)');
    await screenshot(session, 'policy-proposal');
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);

    await proposal.getByTestId('policy-proposal-apply').click();
    const confirm = proposal.getByTestId('policy-apply-confirm');

    await expect(confirm.getByTestId('policy-apply-counts').innerText()).resolves.toContain(`Dry run, Last hour: ${ allowed } still allowed, ${ cut } cut`);
    const shown = await confirm.getByTestId('policy-apply-yaml').innerText();
    const shownPolicy = load(shown) as any;

    expect(shownPolicy.metadata.name).toBe(`allow-observed-${ VM.name }`);
    await screenshot(session, 'policy-apply-confirm');
    await confirm.getByTestId('policy-apply-confirm-button').click();
    await proposal.getByTestId('policy-proposal-applied').waitFor();

    const afterApply = await listPolicies();

    expect(afterApply.length).toBe(before.length + 1);
    const created = afterApply.filter((p) => !before.some((b) => b.metadata.name === p.metadata.name));

    expect(created).toHaveLength(1);
    expect(created[0].metadata.name).toBe(shownPolicy.metadata.name);
    expect(created[0].spec).toEqual(shownPolicy.spec);
    expect(created[0].metadata.managedFields.map((f: any) => f.manager)).toContain('harvester-network-monitoring');

    // Leave the cluster as seeded for the other scenarios.
    const removed = await fetch(`${ backendUrl() }${ POLICIES_PATH }/${ shownPolicy.metadata.name }`, { method: 'DELETE' });

    expect(removed.status).toBe(200);
  });
});
