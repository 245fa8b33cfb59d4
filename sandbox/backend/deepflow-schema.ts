/**
 * What DeepFlow v7.1.8 knows of the tables the extension queries, from fixtures recorded from its source, so the
 * querier stand-in checks statements against DeepFlow rather than against the extension's own schema:
 * - the tags and metrics its querier describes (tests/contract/fixtures/deepflow-v7.1.8-names.json, recorded from
 *   server/querier/db_descriptions by scripts/record-deepflow-names.js); a statement naming anything else fails there;
 * - the columns it stores (tests/contract/fixtures/deepflow-v7.1.8-ddl.json: the CREATE TABLE of `network.1m_local`,
 *   `network_map.1m_local` and `l4_flow_log_local`; the hourly rollups' views select the same names). The querier
 *   passes a column it does not know as a tag through to ClickHouse as written (probe/stored-address-columns,
 *   probe/unknown-column-passes), so such a column works exactly when the table stores it.
 */
import fs from 'fs';
import path from 'path';
import { TableName } from '../../pkg/harvester-network-monitoring/domain/flows/query/schema';

const FIXTURES = path.join(__dirname, '..', '..', 'tests', 'contract', 'fixtures');

const LOCAL_TABLES: Record<TableName, string> = {
  network:     'flow_metrics.`network.1m_local`',
  network_map: 'flow_metrics.`network_map.1m_local`',
  l4_flow_log: 'flow_log.`l4_flow_log_local`',
};

/** A column definition starts a line of the column list: `` `name` Type ``. */
const COLUMN = /^\(?`(\w+)` /gm;

export interface DescribedNames {
  tags: ReadonlySet<string>;
  metrics: ReadonlySet<string>;
}

let stored: Record<TableName, ReadonlySet<string>> | undefined;
let described: Record<TableName, DescribedNames> | undefined;

const readFixture = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));

export function storedColumns(table: TableName): ReadonlySet<string> {
  stored ??= parseDdl(readFixture('deepflow-v7.1.8-ddl.json').statements);

  return stored[table];
}

export function describedNames(table: TableName): DescribedNames {
  if (!described) {
    const { tables } = readFixture('deepflow-v7.1.8-names.json');

    const names = (t: TableName): DescribedNames => ({ tags: new Set<string>(tables[t].tags), metrics: new Set<string>(tables[t].metrics) });

    described = { network: names('network'), network_map: names('network_map'), l4_flow_log: names('l4_flow_log') };
  }

  return described[table];
}

function parseDdl(statements: { object: string; kind: string; sql: string }[]): Record<TableName, ReadonlySet<string>> {
  const out = {} as Record<TableName, ReadonlySet<string>>;

  for (const [table, object] of Object.entries(LOCAL_TABLES) as [TableName, string][]) {
    const created = statements.find((s) => s.kind === 'table' && s.object === object);
    const columns = new Set([...(created?.sql ?? '').matchAll(COLUMN)].map((m) => m[1]));

    if (!columns.size) {
      throw new Error(`the recorded DeepFlow DDL has no columns for ${ object }`);
    }
    out[table] = columns;
  }

  return out;
}
