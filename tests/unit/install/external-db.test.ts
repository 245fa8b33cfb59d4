import { load } from 'js-yaml';
import { CHART_DEFAULTS, defaultSettings, installedSettings } from '@pkg/domain/install/defaults';
import { InstallSettings, validateSettings } from '@pkg/domain/install/settings';
import { buildValues, diffFromDefaults, valuesYaml } from '@pkg/domain/install/values';
import { externalComponents, parseHostPort } from '@pkg/domain/install/external-db';
import { computeTotals, PROFILES } from '@pkg/domain/install/sizing';
import { stepOfField } from '@pkg/domain/install/wizard';

function settings(adjust: (s: InstallSettings) => void = () => undefined): InstallSettings {
  const s = defaultSettings('https://charts.example.com/', '0.1.0');

  adjust(s);

  return s;
}

function external(s: InstallSettings) {
  s.external.clickhouse = {
    enabled: true, hosts: '10.40.0.21:9000, 10.40.0.22  [fd00::23]:9440', username: 'flows', secret: 'ch-pass', clusterName: 'default', storagePolicy: 'default'
  };
  s.external.mysql = {
    enabled: true, host: 'mysql.db.example.com', port: 3306, username: 'deepflow', secret: 'my-pass', egressCIDRs: '10.40.1.0/28'
  };
}

const errorsOf = (s: InstallSettings) => validateSettings(s, 3).map((e) => `${ e.field } ${ e.code }${ e.params?.host ? ` ${ e.params.host }` : '' }`);

describe('externalComponents', () => {
  it('names the databases installed values delegate to existing ones', () => {
    expect(externalComponents(load('clickhouse: {external: {enabled: true}}\nmysql: {external: {enabled: true}}') as any)).toEqual(['clickhouse', 'mysql']);
    expect(externalComponents(load('mysql: {external: {enabled: true}}') as any)).toEqual(['mysql']);
    expect(externalComponents(load('clickhouse: {external: {enabled: "true"}}') as any)).toEqual([]);
    expect(externalComponents({})).toEqual([]);
  });
});

describe('parseHostPort', () => {
  it.each([
    ['10.0.0.1', { ip: '10.0.0.1', port: 9000 }], ['10.0.0.1:9440', { ip: '10.0.0.1', port: 9440 }],
    ['[fd00::1]:9000', { ip: 'fd00::1', port: 9000 }], ['FD00:0::1', { ip: 'fd00::1', port: 9000 }], ['[fd00::1]', { ip: 'fd00::1', port: 9000 }],
  ])('reads %s', (text, expected) => {
    expect(parseHostPort(text)).toEqual(expected);
  });
  it.each(['ch-1.example.com', '10.0.0.1:0', '10.0.0.1:70000', '10.0.0.256', 'fd00::1:9000:x', ''])('rejects %s', (text) => {
    expect(parseHostPort(text)).toBeNull();
  });
});

describe('external databases in the wizard', () => {
  it('turn into the chart values, through YAML, and back', () => {
    const s = settings(external);
    const values: any = load(valuesYaml(diffFromDefaults(buildValues(s), CHART_DEFAULTS)));

    expect(values.clickhouse.external).toEqual({
      enabled: true, hosts: [{ ip: '10.40.0.21', port: 9000 }, { ip: '10.40.0.22', port: 9000 }, { ip: 'fd00::23', port: 9440 }], username: 'flows', existingSecret: 'ch-pass'
    });
    expect(values.mysql.external).toEqual({
      enabled: true, host: 'mysql.db.example.com', username: 'deepflow', existingSecret: 'my-pass', egressCIDRs: ['10.40.1.0/28']
    });
    const back = installedSettings(values, 'https://charts.example.com/', '0.1.0');

    expect(back.external.clickhouse.hosts).toBe('10.40.0.21, 10.40.0.22, [fd00::23]:9440');
    expect({ ...back.external, clickhouse: { ...back.external.clickhouse, hosts: '' } }).toEqual({ ...s.external, clickhouse: { ...s.external.clickhouse, hosts: '' } });
    expect(errorsOf(s)).toEqual([]);
  });

  it('ask for ClickHouse nodes in the chart and keep the count at 1 with an external ClickHouse', () => {
    const scaled = settings((s) => {
      s.clickhouseReplicas = 3;
    });

    expect(buildValues(scaled).clickhouse.replicas).toBe(3);
    expect(installedSettings({ clickhouse: { replicas: 3 } }, '', '').clickhouseReplicas).toBe(3);
    expect(buildValues(settings((s) => {
      external(s); s.clickhouseReplicas = 3;
    })).clickhouse.replicas).toBe(1);
    expect(errorsOf(settings((s) => {
      s.clickhouseReplicas = 9;
    }))).toEqual(['clickhouseReplicas clickhouse-replicas']);
    expect(errorsOf(settings((s) => {
      s.clickhouseReplicas = 1.5;
    }))).toEqual(['clickhouseReplicas clickhouse-replicas']);
  });

  it('explain every problem next to its field, on the Sizing step', () => {
    const s = settings((x) => {
      external(x);
      x.external.mysql.enabled = false;
      x.external.clickhouse.hosts = '10.0.0.1:9000, ch-2.example.com';
      x.external.clickhouse.secret = '';
      x.external.clickhouse.clusterName = 'a b';
      x.external.clickhouse.username = 'a"b';
    });

    expect(errorsOf(s)).toEqual([
      'external.clickhouse.enabled external-needs-mysql', 'external.clickhouse.hosts host-port ch-2.example.com', 'external.clickhouse.username db-user',
      'external.clickhouse.secret secret-required', 'external.clickhouse.clusterName ch-name',
    ]);
    expect(new Set(validateSettings(s, 3).map((e) => stepOfField(e.field)))).toEqual(new Set(['sizing']));
  });

  it('need the addresses of a MySQL given by name, and check them', () => {
    const byName = settings((x) => {
      external(x); x.external.mysql.egressCIDRs = '';
    });

    expect(errorsOf(byName)).toEqual(['external.mysql.egressCIDRs egress-required']);
    expect(errorsOf(settings((x) => {
      external(x); x.external.mysql.host = '10.40.1.5'; x.external.mysql.egressCIDRs = '';
    }))).toEqual([]);
    expect(errorsOf(settings((x) => {
      external(x); x.external.mysql.egressCIDRs = '0.0.0.0/0';
    }))).toEqual(['external.mysql.egressCIDRs cidr-anywhere']);
    expect(errorsOf(settings((x) => {
      external(x); x.external.mysql.host = 'My_DB'; x.external.mysql.port = 0;
    }))).toEqual([
      'external.mysql.host db-host', 'external.mysql.port port',
    ]);
  });

  it('need no volume sizes for what is external', () => {
    const s = settings((x) => {
      external(x); x.clickhouseStorage = 'big'; x.mysqlStorage = '';
    });

    expect(errorsOf(s)).toEqual([]);
  });
});

describe('computeTotals with several or external databases', () => {
  const base = {
    nodeCount: 3, serverReplicas: 1, resources: PROFILES.small, clickhouseStorage: '20Gi', mysqlStorage: '5Gi'
  };

  it('counts a pod and a volume per ClickHouse node', () => {
    const t = computeTotals({ ...base, clickhouseReplicas: 3 });

    expect(t.pods.clickhouse).toBe(3);
    expect(t.storageGi).toBe(65);
    expect(t.requests.millicores - computeTotals(base).requests.millicores).toBe(2 * 500);
  });

  it('counts nothing for external databases', () => {
    const t = computeTotals({
      ...base, clickhouseReplicas: 3, externalClickhouse: true, externalMysql: true
    });

    expect(t.pods).toMatchObject({ clickhouse: 0, mysql: 0 });
    expect(t.storageGi).toBe(0);
  });
});
