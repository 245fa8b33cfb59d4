/**
 * URLs of the stack's Grafana behind the Kubernetes API server's service proxy, in the form
 * Rancher's own monitoring embedding uses:
 *   <prefix>/api/v1/namespaces/<ns>/services/http:<svc>:<port>/proxy/d/<uid>/<slug>?orgId=1&kiosk&...
 * with prefix `/k8s/clusters/<id>` ('' for Rancher's own cluster `local`). Pure string building:
 * every value is validated or URL-encoded, so route params and variable values cannot reshape it.
 */

import { ServiceLocationField, serviceLocationProblem, serviceProxyPath } from '../stack/urls';

/** The chart's Grafana Service (`<fullnameOverride>-grafana`, port 80 in front of the proxy sidecar). */
export const GRAFANA = {
  namespace: 'harvester-network-monitoring',
  service:   'hnm-grafana',
  /** The Service port. */
  port:      80,
  orgId:     1,
} as const;

export type GrafanaTheme = 'light' | 'dark';

export type GrafanaUrlErrorCode = 'invalid-cluster' | 'invalid-namespace' | 'invalid-service' | 'invalid-port' | 'invalid-uid' |
  'invalid-slug' | 'invalid-theme' | 'invalid-range' | 'invalid-refresh' | 'invalid-var';

export class GrafanaUrlError extends Error {
  constructor(readonly code: GrafanaUrlErrorCode, readonly value: string) {
    super(`${ code }: ${ value.slice(0, 100) }`);
    this.name = 'GrafanaUrlError';
  }
}

export interface GrafanaLocation {
  clusterId: string;
  namespace?: string;
  service?: string;
  port?: number;
}

// Grafana dashboard UIDs: up to 40 characters of letters, digits, '-' and '_'.
const UID = /^[A-Za-z0-9_-]{1,40}$/;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
// Relative Grafana times: 15m, 6h, 7d, 1w, 1M, 1y.
const RELATIVE = /^[1-9]\d{0,5}[smhdwMy]$/;
const REFRESH = /^[1-9]\d{0,5}[smhd]$/;

function check(ok: boolean, code: GrafanaUrlErrorCode, value: unknown): void {
  if (!ok) {
    throw new GrafanaUrlError(code, String(value));
  }
}

const LOCATION_ERRORS: Record<ServiceLocationField, GrafanaUrlErrorCode> = {
  clusterId: 'invalid-cluster', namespace: 'invalid-namespace', service: 'invalid-service', port: 'invalid-port'
};

/** `<prefix>/api/v1/namespaces/<ns>/services/http:<svc>:<port>/proxy` */
export function grafanaProxyBase(location: GrafanaLocation): string {
  const full = {
    clusterId: location.clusterId, namespace: location.namespace ?? GRAFANA.namespace, service: location.service ?? GRAFANA.service, port: location.port ?? GRAFANA.port
  };
  const problem = serviceLocationProblem(full);

  if (problem) {
    throw new GrafanaUrlError(LOCATION_ERRORS[problem], String(full[problem]));
  }

  return serviceProxyPath(full);
}

export type VarValue = string | number | readonly (string | number)[];

export interface DashboardUrlOptions extends GrafanaLocation {
  uid: string;
  slug: string;
  /** Dashboard variables: each becomes `var-<name>=<value>` (repeated for several values). */
  vars?: Record<string, VarValue>;
  /** Relative range ending now, e.g. '1h' -> from=now-1h&to=now. Ignored when `from` is given. */
  range?: string;
  /** Absolute range in epoch milliseconds. */
  from?: number;
  to?: number;
  /** Auto-refresh interval such as '30s'; omitted when not given. */
  refresh?: string;
  theme?: GrafanaTheme;
  /** Kiosk mode hides Grafana's chrome (default true); 'tv' keeps the variable bar. */
  kiosk?: boolean | 'tv';
}

const encodePair = (key: string, value: string) => `${ encodeURIComponent(key) }=${ encodeURIComponent(value) }`;

function timeParams(options: DashboardUrlOptions): string[] {
  if (options.from !== undefined || options.to !== undefined) {
    const { from, to } = options;

    check(typeof from === 'number' && Number.isSafeInteger(from) && from >= 0, 'invalid-range', from);
    check(typeof to === 'number' && Number.isSafeInteger(to) && to > (from as number), 'invalid-range', to);

    return [encodePair('from', String(from)), encodePair('to', String(to))];
  }
  const range = options.range ?? '1h';

  check(typeof range === 'string' && RELATIVE.test(range), 'invalid-range', range);

  return [encodePair('from', `now-${ range }`), encodePair('to', 'now')];
}

function varParams(vars: Record<string, VarValue> | undefined): string[] {
  const out: string[] = [];

  for (const [name, value] of Object.entries(vars ?? {})) {
    check(name.length > 0 && name.length <= 100, 'invalid-var', name);
    const values = Array.isArray(value) ? value : [value];

    for (const v of values) {
      check((typeof v === 'string' && v.length <= 1000) || (typeof v === 'number' && Number.isFinite(v)), 'invalid-var', name);
      out.push(encodePair(`var-${ name }`, String(v)));
    }
  }

  return out;
}

/** The embeddable dashboard URL. */
export function grafanaDashboardUrl(options: DashboardUrlOptions): string {
  check(typeof options.uid === 'string' && UID.test(options.uid), 'invalid-uid', options.uid);
  check(typeof options.slug === 'string' && SLUG.test(options.slug), 'invalid-slug', options.slug);
  const theme = options.theme ?? 'light';

  check(theme === 'light' || theme === 'dark', 'invalid-theme', theme);
  const params = [encodePair('orgId', String(GRAFANA.orgId))];
  const kiosk = options.kiosk ?? true;

  if (kiosk === 'tv') {
    params.push('kiosk=tv');
  } else if (kiosk) {
    params.push('kiosk');
  }
  params.push(...timeParams(options));
  if (options.refresh !== undefined) {
    check(typeof options.refresh === 'string' && REFRESH.test(options.refresh), 'invalid-refresh', options.refresh);
    params.push(encodePair('refresh', options.refresh));
  }
  params.push(...varParams(options.vars));
  params.push(encodePair('theme', theme));

  return `${ grafanaProxyBase(options) }/d/${ options.uid }/${ options.slug }?${ params.join('&') }`;
}

/** Grafana's dashboard API for one UID: 200 when it exists, 404 when not. */
export function dashboardExistsUrl(options: GrafanaLocation & { uid: string }): string {
  check(typeof options.uid === 'string' && UID.test(options.uid), 'invalid-uid', options.uid);

  return `${ grafanaProxyBase(options) }/api/dashboards/uid/${ options.uid }`;
}

/** Grafana's health endpoint (no login needed). */
export function grafanaHealthUrl(location: GrafanaLocation): string {
  return `${ grafanaProxyBase(location) }/api/health`;
}
