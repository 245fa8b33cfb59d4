import { finding } from './finding';
import { Finding, ObjectRef } from './types';

/**
 * Reads the anonymous-access settings out of Grafana configuration: a grafana.ini text or GF_*
 * environment variables (which override the ini in Grafana).
 */
export interface AnonymousAccess {
  enabled: boolean;
  /** Grafana's default anonymous role is Viewer. */
  orgRole: string;
}

const TRUE_VALUES = ['1', 't', 'true', 'yes', 'y', 'on'];

export function isTrue(value: string | undefined): boolean {
  return value !== undefined && TRUE_VALUES.includes(value.trim().replace(/^["']|["']$/g, '').toLowerCase());
}

const MAX_INI_LENGTH = 512 * 1024;

/** Parses INI sections into lower-cased section -> key -> value maps (last value wins, like Grafana). */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current = '';

  if (text.length > MAX_INI_LENGTH) {
    return sections;
  }
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();

    if (!line || line.startsWith(';') || line.startsWith('#')) {
      continue;
    }
    const section = /^\[([^\]]+)\]$/.exec(line);

    if (section) {
      current = section[1].trim().toLowerCase();
      continue;
    }
    const eq = line.indexOf('=');

    if (eq <= 0) {
      continue;
    }
    const values = sections.get(current) || new Map<string, string>();

    values.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
    sections.set(current, values);
  }

  return sections;
}

export function anonymousFromIni(text: string): AnonymousAccess | null {
  const section = parseIni(text).get('auth.anonymous');

  if (!section || !section.has('enabled')) {
    return null;
  }

  return { enabled: isTrue(section.get('enabled')), orgRole: (section.get('org_role') || 'Viewer').replace(/^["']|["']$/g, '') };
}

export function anonymousFromEnv(env: Record<string, string>): AnonymousAccess | null {
  if (!Object.prototype.hasOwnProperty.call(env, 'GF_AUTH_ANONYMOUS_ENABLED')) {
    return null;
  }

  return { enabled: isTrue(env.GF_AUTH_ANONYMOUS_ENABLED), orgRole: env.GF_AUTH_ANONYMOUS_ORG_ROLE || 'Viewer' };
}

/**
 * Browser-side hardening of a Grafana that Rancher embeds (Grafana 10.4 keys and defaults, conf/defaults.ini).
 * Through the Kubernetes API service proxy Grafana runs on Rancher's origin in an unsandboxed frame, so script in a
 * Grafana page acts as the logged-in Rancher user: each finding names a setting that lets such script in, or lets
 * Grafana users change what others run. Settings given as GF_* environment variables are not read here.
 */
const GRAFANA_SECTIONS = ['security', 'auth.anonymous', 'users', 'panels'];

function unquote(value: string | undefined): string {
  return (value || '').trim().replace(/^"""|"""$/g, '').replace(/^["']|["']$/g, '').trim();
}

/** The frame-ancestors directive of a CSP template, or undefined when it has none. */
export function frameAncestors(template: string): string[] | undefined {
  const directive = template.split(';').map((d) => d.trim().split(/\s+/)).find((parts) => parts[0]?.toLowerCase() === 'frame-ancestors');

  return directive ? directive.slice(1) : undefined;
}

export function grafanaIniFindings(text: string, ref: ObjectRef, source: string): Finding[] {
  const ini = parseIni(text);

  if (!GRAFANA_SECTIONS.some((s) => ini.has(s))) {
    return [];
  }
  const key = (section: string, name: string) => ini.get(section)?.get(name);
  // A key that is absent has Grafana's default (conf/defaults.ini).
  const flag = (section: string, name: string, fallback: boolean) => (key(section, name) === undefined ? fallback : isTrue(key(section, name)));
  const params = { source, namespace: ref.namespace || '' };
  const out: Finding[] = [finding('exposure.grafanaSameOriginFrame', 'exposure', 'info', ref, params)];
  const csp = flag('security', 'content_security_policy', false);

  if (!csp) {
    out.push(finding('exposure.grafanaCspOff', 'exposure', 'warning', ref, params));
  }
  // Without frame-ancestors, allow_embedding lets any website frame Grafana (clickjacking of a logged-in session).
  const ancestors = csp ? frameAncestors(unquote(key('security', 'content_security_policy_template'))) : undefined;

  if (flag('security', 'allow_embedding', false) && (!ancestors || ancestors.includes('*'))) {
    out.push(finding('exposure.grafanaFramedAnywhere', 'exposure', 'warning', ref, params));
  }
  if (flag('panels', 'disable_sanitize_html', false)) {
    out.push(finding('exposure.grafanaSanitizeOff', 'exposure', 'critical', ref, params));
  }
  if (flag('users', 'viewers_can_edit', false)) {
    out.push(finding('exposure.grafanaViewersCanEdit', 'exposure', 'warning', ref, params));
  }
  if (flag('plugins', 'plugin_admin_enabled', true)) {
    out.push(finding('exposure.grafanaPluginInstall', 'exposure', 'warning', ref, params));
  }
  const sameSite = unquote(key('security', 'cookie_samesite') || 'lax').toLowerCase();

  if (sameSite === 'none' || sameSite === 'disabled') {
    out.push(finding('exposure.grafanaCookieSameSite', 'exposure', 'warning', ref, { ...params, sameSite }));
  }
  if (!flag('security', 'disable_gravatar', false)) {
    out.push(finding('exposure.grafanaGravatar', 'exposure', 'info', ref, params));
  }

  return out;
}
