import type { FieldError } from './settings';
import { cidrList } from './network';
import { parseIp } from '../net/ip';
import { isRecord } from '../guards';
import type { ComponentId } from '../stack/constants';

/**
 * Existing databases instead of the chart's own (chart: clickhouse.external, mysql.external; README "External
 * databases"). ClickHouse nodes are given by address because DeepFlow finds them through the Endpoints of a
 * Service; MySQL by host name or address, with the CIDRs the NetworkPolicies admit when it is a name.
 */
export interface ExternalDatabases {
  clickhouse: {
    enabled: boolean;
    /** "10.0.0.1:9000, 10.0.0.2, [fd00::3]:9440"; the port defaults to 9000. */
    hosts: string;
    username: string;
    secret: string;
    clusterName: string;
    storagePolicy: string;
  };
  mysql: {
    enabled: boolean;
    host: string;
    port: number;
    username: string;
    secret: string;
    /** Comma or space separated CIDRs; empty = the host's own address (host must then be an IP address). */
    egressCIDRs: string;
  };
}

export const CLICKHOUSE_PORT = 9000;
/** DeepFlow 7.1.8 ingester config MaxClickHouseEndpointsPerServer; the chart's schema uses the same cap. */
export const MAX_CLICKHOUSE_HOSTS = 128;

const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DB_USER = /^[A-Za-z0-9_.@-]{1,64}$/;
const CH_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export interface HostPort { ip: string; port: number }

/** One "address[:port]" entry: IPv4 "a.b.c.d[:port]", IPv6 "[addr]:port" or a bare IPv6 address. */
export function parseHostPort(entry: string): HostPort | null {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry);
  const v4 = /^([0-9.]+)(?::(\d{1,5}))?$/.exec(entry);
  const [address, portText] = bracketed ? [bracketed[1], bracketed[2]] : v4 ? [v4[1], v4[2]] : [entry, undefined];
  const ip = parseIp(address);
  const port = portText === undefined ? CLICKHOUSE_PORT : Number(portText);

  return ip && port >= 1 && port <= 65535 ? { ip: ip.text, port } : null;
}

export function clickhouseHostList(text: string): string[] {
  return text.split(/[\s,]+/).map((h) => h.trim()).filter(Boolean);
}

/**
 * Field problems of the external-database choices, named as the Sizing step names its inputs. The egress CIDRs'
 * syntax is checked with the other CIDR fields (settings.ts validateCidrs).
 */
export function validateExternalDatabases(e: ExternalDatabases, networkPolicies: boolean, errors: FieldError[]): void {
  const ch = e.clickhouse;
  const my = e.mysql;

  if (ch.enabled) {
    const hosts = clickhouseHostList(ch.hosts);

    if (!my.enabled) {
      errors.push({ field: 'external.clickhouse.enabled', code: 'external-needs-mysql' });
    }
    if (!hosts.length) {
      errors.push({ field: 'external.clickhouse.hosts', code: 'ch-hosts-required' });
    } else if (hosts.length > MAX_CLICKHOUSE_HOSTS) {
      errors.push({ field: 'external.clickhouse.hosts', code: 'too-many', params: { max: MAX_CLICKHOUSE_HOSTS } });
    }
    hosts.filter((h) => !parseHostPort(h)).forEach((host) => errors.push({ field: 'external.clickhouse.hosts', code: 'host-port', params: { host } }));
    if (!DB_USER.test(ch.username)) {
      errors.push({ field: 'external.clickhouse.username', code: 'db-user' });
    }
    if (!DNS_SUBDOMAIN.test(ch.secret)) {
      errors.push({ field: 'external.clickhouse.secret', code: 'secret-required' });
    }
    (['clusterName', 'storagePolicy'] as const).filter((k) => !CH_NAME.test(ch[k])).forEach((k) => errors.push({ field: `external.clickhouse.${ k }`, code: 'ch-name' }));
  }
  if (my.enabled) {
    const isIp = !!parseIp(my.host.trim());

    if (!isIp && !DNS_SUBDOMAIN.test(my.host.trim())) {
      errors.push({ field: 'external.mysql.host', code: 'db-host' });
    }
    if (!Number.isInteger(my.port) || my.port < 1 || my.port > 65535) {
      errors.push({ field: 'external.mysql.port', code: 'port', params: { min: 1, max: 65535 } });
    }
    if (!DB_USER.test(my.username)) {
      errors.push({ field: 'external.mysql.username', code: 'db-user' });
    }
    if (!DNS_SUBDOMAIN.test(my.secret)) {
      errors.push({ field: 'external.mysql.secret', code: 'secret-required' });
    }
    if (networkPolicies && !isIp && !cidrList(my.egressCIDRs).length) {
      errors.push({ field: 'external.mysql.egressCIDRs', code: 'egress-required' });
    }
  }
}

/** The chart values of the external databases (empty when neither is external). */
export function externalValues(e: ExternalDatabases): Record<string, any> {
  const out: Record<string, any> = {};

  if (e.clickhouse.enabled) {
    const ch = e.clickhouse;

    out.clickhouse = {
      external: {
        enabled:        true,
        hosts:          clickhouseHostList(ch.hosts).map(parseHostPort).filter((h): h is HostPort => !!h),
        username:       ch.username,
        existingSecret: ch.secret,
        clusterName:    ch.clusterName,
        storagePolicy:  ch.storagePolicy,
      }
    };
  }
  if (e.mysql.enabled) {
    const my = e.mysql;

    out.mysql = {
      external: {
        enabled: true, host: my.host.trim(), port: my.port, username: my.username, existingSecret: my.secret, egressCIDRs: cidrList(my.egressCIDRs)
      }
    };
  }

  return out;
}

const text = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);

/** The external-database settings of installed values (chart defaults merged under them). */
export function externalFromValues(values: Record<string, any>): ExternalDatabases {
  const ch = isRecord(values.clickhouse?.external) ? values.clickhouse.external : {};
  const my = isRecord(values.mysql?.external) ? values.mysql.external : {};
  const hosts = Array.isArray(ch.hosts) ? ch.hosts.filter(isRecord) : [];
  const cidrs = Array.isArray(my.egressCIDRs) ? my.egressCIDRs.filter((c: unknown) => typeof c === 'string') : [];

  return {
    clickhouse: {
      enabled:       ch.enabled === true,
      hosts:         hosts.map((h: any) => {
        const port = typeof h.port === 'number' ? h.port : CLICKHOUSE_PORT;
        const ip = text(h.ip, '');

        return port === CLICKHOUSE_PORT ? ip : ip.includes(':') ? `[${ ip }]:${ port }` : `${ ip }:${ port }`;
      }).join(', '),
      username:      text(ch.username, 'default'),
      secret:        text(ch.existingSecret, ''),
      clusterName:   text(ch.clusterName, 'default'),
      storagePolicy: text(ch.storagePolicy, 'default'),
    },
    mysql: {
      enabled:     my.enabled === true,
      host:        text(my.host, ''),
      port:        typeof my.port === 'number' ? my.port : 3306,
      username:    text(my.username, 'root'),
      secret:      text(my.existingSecret, ''),
      egressCIDRs: cidrs.join(', '),
    },
  };
}

/** The stack components installed values delegate to an existing database (no workload of theirs is expected). */
export function externalComponents(values: Record<string, any>): ComponentId[] {
  const external = externalFromValues(values);

  return [...(external.clickhouse.enabled ? ['clickhouse' as const] : []), ...(external.mysql.enabled ? ['mysql' as const] : [])];
}
