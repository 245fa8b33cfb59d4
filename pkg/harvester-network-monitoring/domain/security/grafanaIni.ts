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
