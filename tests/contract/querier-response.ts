/**
 * What DeepFlow v7.1.8's querier sends back for rows ClickHouse returned, so results from ClickHouse (chdb)
 * reach the extension's response parser in the querier's wire shape. Each rule is the querier's, read in
 * deepflowio/deepflow v7.1.8 server/querier and checked by running that code on typed values:
 * - envelope: router/response.go JsonResponse -> HttpResponse: {OPT_STATUS: "SUCCESS", DESCRIPTION: "",
 *   result, debug: null}; result from common/result.go Result.ToJson: {columns, schemas, values}, values null
 *   when there are no rows;
 * - cells: engine/clickhouse/client/format.go TransType over the clickhouse-go v2.1.0 native types:
 *   integers as JSON numbers (ClickHouse's JSON formats quote 64-bit ones), DateTime/DateTime64 as RFC 3339 in
 *   the column's zone with trailing zeros of the fraction dropped (Go's time.Time JSON), NaN/Inf as 0, NULL
 *   as null, strings as they are.
 */

export interface ClickHouseColumn {
  name: string;
  type: string;
}

const INTEGER = /^(Nullable\()?U?Int(8|16|32|64|128|256)\)?$/;
const FLOAT = /^(Nullable\()?Float(32|64)\)?$/;
const DATETIME = /^(Nullable\()?DateTime(64)?(\(.*\))?\)?$/;

function rfc3339(value: string): string {
  // ClickHouse writes 'YYYY-MM-DD hh:mm:ss[.ffffff]' in the column's zone; the chart runs the stack in UTC.
  const [date, time] = value.split(' ');
  const [clock, fraction = ''] = time.split('.');
  const trimmed = fraction.replace(/0+$/, '');

  return `${ date }T${ clock }${ trimmed ? `.${ trimmed }` : '' }Z`;
}

function cell(type: string, value: unknown): unknown {
  if (value === null) {
    return null;
  }
  if (INTEGER.test(type)) {
    return Number(value);
  }
  if (FLOAT.test(type)) {
    const n = Number(value);

    return Number.isFinite(n) ? n : 0;
  }
  if (DATETIME.test(type) && typeof value === 'string') {
    return rfc3339(value);
  }

  return value;
}

/** The querier's HTTP body for ClickHouse's JSONCompact `meta` and `data`. */
export function querierBody(meta: ClickHouseColumn[], data: unknown[][]): string {
  const values = data.map((row) => row.map((v, i) => cell(meta[i].type, v)));

  return JSON.stringify({
    OPT_STATUS:  'SUCCESS',
    DESCRIPTION: '',
    result:      {
      columns: meta.map((c) => c.name),
      schemas: meta.map((c) => ({
        label_type: '', pre_as: '', type: 0, unit: '', value_type: c.type
      })),
      values: values.length ? values : null,
    },
    debug: null,
  });
}
