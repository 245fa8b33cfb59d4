/**
 * The extension speaks DeepFlow v7.1.8's querier dialect: every statement it can build has a
 * recording of DeepFlow's real translator accepting it, and the rules it follows (bare table names
 * with data_precision, no IN lists of addresses, no chost grouping, no "slimit" in names) rest on
 * recorded probes. Re-record with scripts/record-deepflow-contract.sh after a DeepFlow upgrade.
 */
import { contractStatements } from './statements';
import {
  Recording, loadJson, loadRecordings, recordingFor
} from './recordings';
import { topTalkersQuery, flowRecordsQuery } from '../../pkg/harvester-network-monitoring/domain/flows/query/queries';
import { QueryBuildError } from '../../pkg/harvester-network-monitoring/domain/flows/query/sql';
import { ADDRESS_COLUMNS, TABLES, TableName } from '../../pkg/harvester-network-monitoring/domain/flows/query/schema';
import { describedNames, storedColumns } from '../../sandbox/backend/deepflow-schema';
import { CONTRACT_NOW_SECONDS } from './scenario';
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';

interface Probe {
  id: string;
  db: string;
  data_precision: string;
  sql: string;
  expect: {
    translator?: 'ok' | 'error' | 'any'; clickhouse?: 'ok' | 'error'; translatedContains?: string; translatedNotContains?: string; panic?: boolean
  };
}

const file = loadRecordings();
const statements = contractStatements();

const translated = (r: Recording) => r.clickhouse_sql.join('\n');

/**
 * What a recording shows, in the terms of the expectations a probe states, so one comparison checks them all.
 * `clickhouse` and translator `any` are notes for whoever re-records (scripts/record-deepflow-contract.sh): kept as stated.
 */
function observed(expected: Probe['expect'], rec: Recording): Record<string, unknown> {
  const sql = translated(rec);
  const translator = rec.ok ? 'ok' : rec.http_status >= 400 ? 'error' : `failed with HTTP ${ rec.http_status }`;
  const { translatedContains: contains, translatedNotContains: notContains } = expected;

  return {
    ...expected,
    ...(expected.translator === 'ok' || expected.translator === 'error' ? { translator } : {}),
    ...(contains !== undefined ? { translatedContains: sql.includes(contains) ? contains : sql } : {}),
    ...(expected.panic !== undefined ? { panic: rec.panic } : {}),
    ...(notContains !== undefined ? { translatedNotContains: rec.ok && sql.includes(notContains) ? sql : notContains } : {}),
  };
}

describe(`DeepFlow ${ file.source.ref } contract: statements the extension builds`, () => {
  it('covers every page, tab and panel statement', () => {
    expect(statements.length).toBeGreaterThan(150);
  });

  it.each(statements.map((s) => [s.id, s]))('%s has an accepted recording', (_id, s) => {
    const r = recordingFor(file, s);

    if (!r) {
      throw new Error(`No recording of this statement: re-record the contract (scripts/record-deepflow-contract.sh).\n${ s.db } ${ s.data_precision } ${ s.sql }`);
    }
    expect({
      id: s.id, ok: r.ok, panic: r.panic, error: r.error
    }).toEqual({
      id: s.id, ok: true, panic: false, error: null
    });
    expect(r.http_status).toBe(200);
    expect(r.clickhouse_sql.length).toBeGreaterThan(0);
  });

  it('has no recording left over from statements the extension no longer builds', () => {
    const current = new Set(statements.map((s) => s.id));
    const stale = file.recordings.filter((r) => !r.id.startsWith('probe/') && !r.id.startsWith('grafana/') && !current.has(r.id)).map((r) => r.id);

    expect(stale).toEqual([]);
  });

  it('reads minute rows up to 6 hours and the hourly rollups for a day or a week: the table after translation', () => {
    const metrics = statements.filter((x) => x.db === 'flow_metrics');
    const hourly = metrics.filter((x) => /range=(24h|7d)\b/.test(x.id));

    expect(hourly.length).toBeGreaterThan(20);
    for (const s of metrics) {
      const table = hourly.includes(s) ? '.1h`' : '.1m`';

      expect([s.id, translated(recordingFor(file, s) as Recording)]).toEqual([s.id, expect.stringContaining(table)]);
    }
  });

  it('allows only tags and metrics DeepFlow\'s querier describes for that table (the recorded db_descriptions)', () => {
    for (const table of Object.keys(TABLES) as TableName[]) {
      const described = describedNames(table);

      expect([table, [...TABLES[table].tags].filter((t) => !described.tags.has(t))]).toEqual([table, []]);
      expect([table, [...TABLES[table].metrics].filter((m) => !described.metrics.has(m))]).toEqual([table, []]);
    }
  });

  it('lists addresses only on columns DeepFlow stores in that table (the recorded DDL)', () => {
    for (const table of Object.keys(ADDRESS_COLUMNS) as TableName[]) {
      expect([table, [...ADDRESS_COLUMNS[table]].filter((c) => !storedColumns(table).has(c))]).toEqual([table, []]);
    }
  });

  it('keeps every kind of peer: no edge or peer statement filters on l3_device_type', () => {
    for (const s of statements.filter((x) => /\/(edges|peers)\//.test(x.id))) {
      expect(translated(recordingFor(file, s) as Recording)).not.toMatch(/l3_device_type_[01]\s*=/);
    }
  });
});

describe(`DeepFlow ${ file.source.ref } contract: recorded probes behind the rules`, () => {
  const probes = loadJson<{ probes: Probe[] }>('probes.json').probes;

  it.each(probes.map((p) => [p.id, p]))('%s', (_id, p) => {
    const r = recordingFor(file, p);

    expect(r).toBeDefined();
    expect(observed(p.expect, r as Recording)).toEqual(p.expect);
  });

  it('a failed translation is answered as HTTP 500 with OPT_STATUS FAIL (router/response.go), which the UI shows as a query problem', () => {
    const failed = file.recordings.filter((r) => !r.ok && !r.panic);

    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) {
      expect([r.http_status, r.opt_status]).toEqual([500, 'FAIL']);
    }
  });
});

interface GrafanaRequest {
  id: string;
  db: string;
  data_precision: string;
  sql: string;
  dashboard_input: string;
}

/** Every query text of the chart's dashboards: variable queries and panel targets, by `<uid>/<name or panel id>`. */
function dashboardInputs(): Map<string, string> {
  const dir = join(__dirname, '..', '..', 'charts', 'harvester-network-monitoring-stack', 'files', 'dashboards');
  const inputs = new Map<string, string>();

  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const d = JSON.parse(readFileSync(join(dir, name), 'utf8'));

    for (const v of d.templating?.list ?? []) {
      if (v.query && typeof v.query === 'object') {
        inputs.set(`${ d.uid }/${ v.name }`, JSON.stringify(v.query, Object.keys(v.query).sort()));
      }
    }
    for (const p of d.panels ?? []) {
      for (const t of p.targets ?? []) {
        inputs.set(`${ d.uid }/${ p.id }`, t.queryText);
      }
    }
  }

  return inputs;
}

describe('the chart\'s Grafana dashboards, as the DeepFlow plugin sends them', () => {
  const requests = loadJson<{ requests: GrafanaRequest[] }>('fixtures/grafana-plugin-requests.json').requests;
  const inputs = dashboardInputs();

  it('every dashboard query was recorded from the plugin as it is now', () => {
    const recorded = new Map(requests.map((r) => [r.id.replace(/^grafana\//, ''), r.dashboard_input]));

    expect([...inputs.keys()].sort()).toEqual([...recorded.keys()].sort());
    for (const [id, input] of inputs) {
      // A changed query needs a new recording of the plugin's request (fixtures/grafana-plugin-requests.json).
      expect([id, JSON.stringify(JSON.parse(input))]).toEqual([id, JSON.stringify(JSON.parse(recorded.get(id) as string))]);
    }
  });

  it.each(requests.map((r) => [r.id, r]))('%s translates without error', (_id, r) => {
    const rec = recordingFor(file, r);

    expect(rec).toMatchObject({ ok: true, panic: false, http_status: 200 });
  });
});

describe('names the querier cannot take are refused before any SQL is built', () => {
  const window = { range: { start: CONTRACT_NOW_SECONDS - 3600, end: CONTRACT_NOW_SECONDS }, nowSeconds: CONTRACT_NOW_SECONDS };

  it.each([
    ['a pod named slimit', () => flowRecordsQuery({ window, filters: { pod: 'slimit' } }), 'querier-keyword'],
    ['a namespace containing slimit', () => topTalkersQuery({ window, groupBy: 'pod', scope: { namespace: 'team-slimit' } }), 'querier-keyword'],
    ['a hostile pod name', () => flowRecordsQuery({ window, filters: { pod: 'WITH a AS (SELECT 1 LIMIT 1)' } }), 'not-a-name'],
    ['an upper-case namespace', () => topTalkersQuery({ window, groupBy: 'namespace', scope: { namespace: 'Prod' } }), 'not-a-name'],
  ])('%s', (_name, build, reason) => {
    let error: unknown;

    try {
      build();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(QueryBuildError);
    expect((error as QueryBuildError).code).toBe('invalid-name');
    expect((error as QueryBuildError).params.reason).toBe(reason);
  });
});
