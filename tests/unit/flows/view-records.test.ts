import {
  DEFAULT_RECORD_SORT, EMPTY_RECORD_FILTERS, recordsPage, recordsQuery
} from '@pkg/domain/flows/view/view-records';
import { scenarioIndex } from '../../fixtures/querier/scenario';

const window = { range: { start: 1_000_000 - 3600, end: 1_000_000 }, nowSeconds: 1_000_000 };
const index = scenarioIndex();

function query(form: Partial<typeof EMPTY_RECORD_FILTERS>, extra: object = {}) {
  return recordsQuery({
    window, form: { ...EMPTY_RECORD_FILTERS, ...form }, sort: DEFAULT_RECORD_SORT, page: 0, ...extra
  }, index);
}

describe('flow records query', () => {
  it('pages the newest records by default', () => {
    const r = query({});

    expect(r.ok && r.query.sql).toMatch(/ORDER BY start_time DESC LIMIT 50$/);
  });

  it('turns valid filters into conditions', () => {
    const r = query({
      pod: 'web-0', ip: '2001:DB8::1', port: '443', protocol: 'udp'
    });
    const sql = r.ok ? r.query.sql : '';

    expect(sql).toContain('pod_0=\'web-0\'');
    expect(sql).toContain('\'2001:db8::1\'');
    expect(sql).toContain('server_port=443');
    expect(sql).toContain('protocol=17');
  });

  it('narrows to a VM by its addresses, instead of the namespace scope', () => {
    const r = query({ vm: 'vms/a' }, { namespaceScope: { namespace: 'shop' } });
    const sql = r.ok ? r.query.sql : '';

    expect(sql).toContain('\'192.168.100.10\'');
    expect(sql).not.toContain('\'shop\'');
    const ns = query({}, { namespaceScope: { namespace: 'shop' } });

    expect(ns.ok && ns.query.sql).toContain('pod_ns_0=\'shop\'');
  });

  it('reports every invalid field and builds nothing', () => {
    expect(query({
      vm: 'no-slash', pod: 'Bad_Name', ip: '1.2.3', port: '70000', protocol: 'http'
    })).toEqual({
      ok:     false,
      errors: {
        vm: 'vm', pod: 'pod', ip: 'ip', port: 'port', protocol: 'protocol'
      }
    });
    expect(query({ vm: 'vms/not-running' })).toEqual({ ok: false, errors: { vm: 'vm-not-running' } });
    expect(query({ port: '-1' })).toEqual({ ok: false, errors: { port: 'port' } });
    expect(query({ pod: 'x\'; DROP TABLE' })).toEqual({ ok: false, errors: { pod: 'pod' } });
    expect(query({ pod: 'x'.repeat(254) })).toEqual({ ok: false, errors: { pod: 'pod' } });
  });

  it('refuses pod names containing "slimit" with their own message (DeepFlow 7.1.8 mistakes them for SLIMIT)', () => {
    expect(query({ pod: 'slimit' })).toEqual({ ok: false, errors: { pod: 'pod-querier-keyword' } });
    expect(query({ pod: 'web-slimit-0.shop' })).toEqual({ ok: false, errors: { pod: 'pod-querier-keyword' } });
    expect(query({ pod: 'Slimit' })).toEqual({ ok: false, errors: { pod: 'pod' } });
    expect(query({ pod: 'limit-0' }).ok).toBe(true);
  });

  it('reads l4_flow_log without data_precision and lists a VM\'s addresses as an IN list', () => {
    const r = query({ vm: 'vms/a' });

    expect(r.ok && r.query.db).toBe('flow_log');
    expect(r.ok && 'dataPrecision' in r.query).toBe(false);
    expect(r.ok && r.query.sql).toContain('(is_ipv4=1 AND ip4_0 IN (\'10.52.0.10\', \'192.168.100.10\'))');
    expect(r.ok && r.query.sql).not.toMatch(/\bip(_[01])? IN\b|chost/);
  });

  it('sorts by an allowed column only, and offsets pages', () => {
    const r = query({}, { sort: { column: 'byte', direction: 'asc' }, page: 2 });

    expect(r.ok && r.query.sql).toMatch(/ORDER BY byte ASC LIMIT 50 OFFSET 100$/);
    const bad = query({}, { sort: { column: 'pod_0; DROP', direction: 'sideways' } });

    expect(bad.ok && bad.query.sql).toMatch(/ORDER BY start_time DESC/);
  });
});

describe('sorting and pages', () => {
  it('knows there may be a next page only after a full one', () => {
    expect(recordsPage([], index, 0).hasNext).toBe(false);
  });
});
