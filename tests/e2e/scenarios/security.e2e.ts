/**
 * Security Review in the real dashboard: with the stack installed, the page reads the live objects
 * through the Harvester Steve API and lists exactly the findings the security engine gives for
 * what the chart installed; a change made behind the extension's back shows up as drift.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import expect from 'expect';
import { reviewObjects } from '../../../pkg/harvester-network-monitoring/domain/security';
import { Finding } from '../../../pkg/harvester-network-monitoring/domain/security/types';
import { CLUSTER_ID, NODES, STACK_NAMESPACE, AGENT_NAMESPACE } from '../../../sandbox/backend/seed/constants';
import { stackNamespace, stackWorkloadObjects } from '../../../sandbox/backend/seed/stack';
import { FLOW_READER_SEED } from '../../../sandbox/backend/seed/flow-readers';
import { Locator } from 'playwright-core';
import {
  Session, backendUrl, closeSession, eventually, openSession, pagePath, screenshot, setStackInstalled, unexpectedProblems
} from '../harness/browser';

/** `finding-<id>` and the object line the page prints for each finding, sorted. */
function expectedFindings(): string[] {
  // The page reviews the workloads, not their pods (domain/security/live.ts reads no Pods).
  const objects = [stackNamespace(), ...stackWorkloadObjects().map((t) => t.object).filter((o) => o.kind !== 'Pod')];
  const { findings } = reviewObjects(objects, {
    nodeCIDRs: NODES.map((n) => `${ n.ip }/32`), focusNamespaces: [STACK_NAMESPACE, AGENT_NAMESPACE], defaultNamespace: STACK_NAMESPACE
  });

  return findings.map((f: Finding) => {
    const o = f.object;

    return `finding-${ f.id } | ${ o.kind } ${ o.namespace ? `${ o.namespace }/` : '' }${ o.name }${ o.container ? ` (${ o.container })` : '' }`;
  }).sort();
}

async function shownFindings(list: Locator): Promise<string[]> {
  return (await list.locator('li.finding').evaluateAll((lis) => lis.map((li) => `${ li.getAttribute('data-testid') } | ${ li.querySelector('.object')?.textContent?.trim() }`))).sort();
}

/** The review's own list; the drift section above it is a findings list too. */
const mainList = (session: Session) => session.page.getByTestId('findings').last();

describe('Security Review in the real dashboard', () => {
  let session: Session;

  before(async() => {
    await setStackInstalled(true);
    session = await openSession();
  });
  after(async() => {
    await closeSession(session);
    await setStackInstalled(false);
  });
  afterEach(() => expect(unexpectedProblems(session)).toEqual([]));

  it('lists the findings for the installed objects, and no drift', async() => {
    const { page } = session;

    await page.goto(pagePath('security-review'));
    await page.getByTestId('drift-none').waitFor();
    const expected = expectedFindings();

    expect(expected.length).toBeGreaterThan(5);
    await expect(shownFindings(mainList(session))).resolves.toEqual(expected);
    await expect(page.getByTestId('score').innerText()).resolves.toMatch(/\d/);
    await screenshot(session, 'security-review');
  });

  it('filters findings by severity and text', async() => {
    const list = mainList(session);
    const all = await list.locator('li.finding').count();

    await expect(list.getByTestId('group-info').count()).resolves.toBe(1);
    // The shell's Checkbox: a click on it toggles.
    await list.getByTestId('filter-info').click();
    await expect(list.getByTestId('group-info').count()).resolves.toBe(0);
    await list.getByTestId('filter-info').click();
    await list.getByTestId('filter-search').fill('SECCOMP');
    await eventually(async() => {
      const matching = await list.locator('li.finding').allInnerTexts();

      expect(matching.length).toBeGreaterThan(0);
      expect(matching.length).toBeLessThan(all);
      matching.forEach((text) => expect(text.toLowerCase()).toContain('seccomp'));
    });
    await list.getByTestId('filter-search').fill('');
    await eventually(() => expect(list.locator('li.finding').count()).resolves.toBe(all));
  });

  it('shows who can read the flow data: the seeded user and group with the binding that grants them', async() => {
    const { page } = session;
    const section = page.getByTestId('flow-readers');
    const rows = section.locator('[data-testid="flow-readers-table-list-container"] > table > tbody > tr.main-row');

    await section.waitFor();
    const userRow = rows.filter({ hasText: FLOW_READER_SEED.user });

    await expect(userRow.count()).resolves.toBe(1);
    const text = await userRow.innerText();

    expect(text).toContain('Service proxy to hnm-grafana as http:hnm-grafana:80: create, get');
    expect(text).toContain(`ClusterRoleBinding ${ FLOW_READER_SEED.binding } (every namespace) to ClusterRole ${ FLOW_READER_SEED.role }`);
    // The seeded stack is the proxy variant without anonymous viewers: the proxy leads to Grafana's login.
    expect(text).toContain('Reaches Grafana\'s login page; reading needs a Grafana account.');
    // A group named like markup is listed as text.
    await expect(rows.filter({ hasText: FLOW_READER_SEED.group }).count()).resolves.toBe(1);
    await expect(page.evaluate(() => (window as any).__xss)).resolves.toBeUndefined();
    await expect(section.getByTestId('flow-readers-incomplete').count()).resolves.toBe(0);
    // The API server's own controllers are there, collapsed.
    await expect(section.getByTestId('flow-readers-system-table-list-container').count()).resolves.toBe(0);
    await section.getByTestId('flow-readers-toggle-system').click();
    await expect(section.getByTestId('flow-readers-system-table-list-container').innerText()).resolves.toContain('kube-system/namespace-controller');
    // The section at the top of the view (the page scrolls inside the shell, not the window).
    await section.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(session, 'security-review-flow-readers');
    await section.getByTestId('flow-readers-toggle-system').click();
  });

  it('reports drift when someone widens the stack\'s permissions behind its back', async() => {
    const { page } = session;
    const roles = await fetch(`${ backendUrl() }/k8s/clusters/${ CLUSTER_ID }/apis/rbac.authorization.k8s.io/v1/clusterroles?labelSelector=${ encodeURIComponent('app.kubernetes.io/part-of=harvester-network-monitoring') }`).then((r) => r.json());
    const role = roles.items[0];

    expect(role).toBeDefined();
    const patched = await fetch(`${ backendUrl() }/k8s/clusters/${ CLUSTER_ID }/apis/rbac.authorization.k8s.io/v1/clusterroles/${ role.metadata.name }`, {
      method:  'PUT',
      headers: { 'content-type': 'application/json' },
      body:    JSON.stringify({ ...role, rules: [...role.rules, { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] }),
    });

    expect(patched.status).toBe(200);
    await page.getByTestId('security-refresh').click();
    const drift = page.getByTestId('drift');

    await drift.getByTestId('finding-drift.roleVerbsAdded').waitFor();
    await expect(drift.getByTestId('finding-drift.roleVerbsAdded').innerText()).resolves.toContain(`${ role.metadata.name } now allows get, list on secrets`);
    await expect(drift.locator('li.finding').count()).resolves.toBe(1);
    await screenshot(session, 'security-review-drift');
  });
});
