/**
 * Grafana behind the service proxy, as the extension sees it: `/api/health`, the dashboard API
 * for the provisioned UIDs, and a dashboard page for the iframe (a plain page naming the
 * dashboard and its variables, escaped). Reachability is decided by the caller (server.ts).
 *
 * Provisioned are what the chart installs: its own dashboards (files/dashboards/*.json, read from
 * the chart, with their titles) and DeepFlow's network dashboards from DeepFlow's dashboards image.
 */
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { DASHBOARDS } from '../../pkg/harvester-network-monitoring/domain/grafana/catalog';
import { REPO_ROOT } from '../paths';

const CHART_DASHBOARDS = join(REPO_ROOT, 'charts', 'harvester-network-monitoring-stack', 'files', 'dashboards');

function provisioned(): Map<string, { uid: string; title: string; slug: string }> {
  const out = new Map<string, { uid: string; title: string; slug: string }>();

  for (const file of readdirSync(CHART_DASHBOARDS).filter((f) => f.endsWith('.json'))) {
    const d = JSON.parse(readFileSync(join(CHART_DASHBOARDS, file), 'utf8'));

    out.set(d.uid, { uid: d.uid, title: d.title, slug: d.uid });
  }
  DASHBOARDS.filter((d) => d.source === 'deepflow').forEach((d) => out.set(d.uid, { uid: d.uid, title: d.uid, slug: d.slug }));

  return out;
}

const PROVISIONED = provisioned();

export interface GrafanaAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const GRAFANA_VERSION = '10.4.19';

const json = (status: number, body: unknown): GrafanaAnswer => ({
  status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body)
});

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ ch.charCodeAt(0) };`);

function dashboardPage(uid: string, search: URLSearchParams): GrafanaAnswer {
  const vars = [...search.entries()].filter(([key]) => key.startsWith('var-'));
  const rows = vars.map(([key, value]) => `<li data-var="${ escapeHtml(key.slice(4)) }">${ escapeHtml(key.slice(4)) } = ${ escapeHtml(value) }</li>`);
  const body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${ escapeHtml(uid) } - Grafana</title></head>` +
    `<body><h1 data-testid="grafana-dashboard">${ escapeHtml(uid) }</h1><p>Grafana ${ GRAFANA_VERSION } (e2e stand-in)</p>` +
    `<ul>${ rows.join('') }</ul></body></html>`;

  return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
}

/** Grafana's answer to `method pathAndSearch` (relative to the Service, e.g. `/api/health`). */
export function answerGrafana(method: string, pathAndSearch: string): GrafanaAnswer {
  const url = new URL(pathAndSearch || '/', 'http://grafana');

  if (method !== 'GET' && method !== 'HEAD') {
    return json(405, { message: 'Method not allowed' });
  }
  if (url.pathname === '/api/health') {
    return json(200, { commit: '0123456789', database: 'ok', version: GRAFANA_VERSION });
  }
  if (url.pathname === '/api/search') {
    // Grafana's search API (GET /api/search?dashboardUIDs=…): 200 with the matching dashboards, [] when none.
    const uids = url.searchParams.getAll('dashboardUIDs').flatMap((u) => u.split(','));

    return json(200, [...PROVISIONED.values()].filter((d) => uids.includes(d.uid)).map((d, i) => ({
      id: i + 1, uid: d.uid, title: d.title, url: `/d/${ d.uid }/${ d.slug }`, type: 'dash-db'
    })));
  }
  const api = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(url.pathname);

  if (api) {
    const uid = decodeURIComponent(api[1]);

    const d = PROVISIONED.get(uid);

    return d ? json(200, { dashboard: { uid, title: d.title, version: 1 }, meta: { slug: d.slug, provisioned: true } }) : json(404, { message: 'Dashboard not found' });
  }
  const page = /^\/d\/([^/]+)(\/[^/]*)?$/.exec(url.pathname);

  if (page && PROVISIONED.has(decodeURIComponent(page[1]))) {
    return dashboardPage(decodeURIComponent(page[1]), url.searchParams);
  }

  return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '404 Not Found' };
}
