/**
 * Statement shapes: a statement with its values abstracted, so that one recording of DeepFlow's real
 * translator stands for every statement that differs from it only in values and list lengths.
 *
 * - string literals become `?s`, numbers `?n`;
 * - an OR chain of equalities on one column (`(c=?s OR c=?s OR c=?s)`, what sql.ts `anyEqual` writes
 *   for two or more values) becomes `(c=?s OR …)`;
 * - an IN list of one or more values (`c IN (?s, ?s)`, what sql.ts `anyAddress` writes per address family)
 *   becomes `c IN (?s, …)`: the querier passes those columns through as written, whatever the list's length.
 *   Not on the `ip` tags, whose IN lists keep their length: the translator turns two or more values into a
 *   tuple ClickHouse refuses (probe/ip-in-list).
 *
 * A single value (`c=?s`, what anyEqual writes for one value) keeps its own shape: the contract
 * records both a one-value and a several-value statement wherever a list is built. Which address families a
 * list has (IPv4, IPv6, both) is structure, not a value: each is recorded.
 *
 * The e2e querier stand-in (sandbox/backend/querier.ts) answers only statements whose shape is
 * among the accepted recordings (acceptedShapes), so browser tests cannot pass on SQL DeepFlow never
 * accepted.
 */
import { tokenize } from '../../sandbox/backend/sql-tokenizer';
import { RecordingsFile, loadRecordings } from './recordings';

/** Words after which `(` opens a group rather than a function's arguments. */
const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'WHERE', 'IN', 'BY', 'SELECT', 'FROM', 'ON', 'AS']);
const COMPARISONS = new Set(['=', '!=', '<>', '<', '<=', '>', '>=']);

/** The shape of one statement (see the header). */
export function statementShape(sql: string): string {
  let out = '';
  let previous: { type: string; value: string } | undefined;

  for (const token of tokenize(sql)) {
    let text: string;

    switch (token.type) {
    case 'string':
      text = '?s';
      break;
    case 'number':
      text = '?n';
      break;
    case 'quoted-ident':
      text = `\`${ token.value }\``;
      break;
    case 'ident':
    case 'op':
      text = token.value;
      break;
    default:
      // Comments, separators and unterminated text never match a recorded shape.
      text = `<${ token.type }:${ token.value }>`;
    }
    const tight = previous !== undefined && (
      text === ')' || text === ',' || previous.value === '(' || COMPARISONS.has(text) || COMPARISONS.has(previous.value) ||
      (text === '(' && previous.type === 'ident' && !KEYWORDS.has(previous.value.toUpperCase()))
    );

    out += previous === undefined || tight ? text : ` ${ text }`;
    previous = token;
  }

  return collapseLists(out);
}

const OR_CHAIN = /\(([A-Za-z_][A-Za-z0-9_]*)=\?([sn])(?: OR \1=\?\2)+\)/g;
const IN_LIST = /\b([A-Za-z_][A-Za-z0-9_]*) IN \(\?([sn])(?:, \?\2)*\)/g;
const IP_TAG = /^ip(_[01])?$/;

function collapseLists(shape: string): string {
  return shape.replace(OR_CHAIN, (_m, column: string, kind: string) => `(${ column }=?${ kind } OR …)`)
    .replace(IN_LIST, (list: string, column: string, kind: string) => (IP_TAG.test(column) ? list : `${ column } IN (?${ kind }, …)`));
}

/** The key a request is looked up by: database, data_precision and statement shape. */
export function shapeKey(request: { db: string; data_precision: string; sql: string }): string {
  return `${ request.db }\u0000${ request.data_precision }\u0000${ statementShape(request.sql) }`;
}

/**
 * Keys of the statements DeepFlow's translator accepted, from the extension's own recordings.
 * Probes (`probe/…`) are left out: some translate fine and still fail on ClickHouse (an `ip IN` list)
 * or return the wrong rows (chost grouping); they record why a rule exists, not what may be sent.
 * So are the Grafana plugin's requests (`grafana/…`): the stand-in serves the extension.
 */
export function acceptedShapes(file: RecordingsFile): Set<string> {
  return new Set(file.recordings
    .filter((r) => r.ok && !r.panic && !r.id.startsWith('probe/') && !r.id.startsWith('grafana/'))
    .map(shapeKey));
}

/** The contract the stand-in enforces: accepted shapes, and where they come from. */
export interface ShapeContract {
  source: string;
  shapes: ReadonlySet<string>;
}

/** The recorded contract (tests/contract/fixtures). */
export function loadShapeContract(): ShapeContract {
  const file = loadRecordings();

  return { source: `DeepFlow ${ file.source.ref } contract (tests/contract/fixtures)`, shapes: acceptedShapes(file) };
}
