/**
 * The columns DeepFlow stores in each table the extension queries, read from the DDL DeepFlow v7.1.8's own code
 * generates (tests/contract/fixtures/deepflow-v7.1.8-ddl.json: the CREATE TABLE of `network.1m_local`,
 * `network_map.1m_local` and `l4_flow_log_local`; the hourly rollups' views select the same names). The querier
 * passes a column it does not know as a tag through to ClickHouse as written (probe/stored-address-columns,
 * probe/unknown-column-passes), so such a column works exactly when the table stores it.
 */
import fs from 'fs';
import path from 'path';
import { TableName } from '../../pkg/harvester-network-monitoring/domain/flows/query/schema';

const DDL = path.join(__dirname, '..', '..', 'tests', 'contract', 'fixtures', 'deepflow-v7.1.8-ddl.json');

const LOCAL_TABLES: Record<TableName, string> = {
  network:     'flow_metrics.`network.1m_local`',
  network_map: 'flow_metrics.`network_map.1m_local`',
  l4_flow_log: 'flow_log.`l4_flow_log_local`',
};

/** A column definition starts a line of the column list: `` `name` Type ``. */
const COLUMN = /^\(?`(\w+)` /gm;

let read: Record<TableName, ReadonlySet<string>> | undefined;

export function storedColumns(table: TableName): ReadonlySet<string> {
  read ??= parse(JSON.parse(fs.readFileSync(DDL, 'utf8')).statements);

  return read[table];
}

function parse(statements: { object: string; kind: string; sql: string }[]): Record<TableName, ReadonlySet<string>> {
  const out = {} as Record<TableName, ReadonlySet<string>>;

  for (const [table, object] of Object.entries(LOCAL_TABLES) as [TableName, string][]) {
    const created = statements.find((s) => s.kind === 'table' && s.object === object);
    const columns = new Set([...(created?.sql ?? '').matchAll(COLUMN)].map((m) => m[1]));

    if (!columns.size) {
      throw new Error(`the recorded DeepFlow DDL has no columns for ${ object } (${ DDL })`);
    }
    out[table] = columns;
  }

  return out;
}
