/**
 * Turns the querier's HTTP answer into a typed outcome. The body is untrusted: every cell is
 * checked against the column's kind, bad rows are skipped (and counted), and server text is kept
 * as bounded plain text for the view to print, never to interpret.
 */
import { QUERIER } from './constants';
import { isRecord } from '../../guards';
import {
  BadResponseReason, CellKind, CellValues, ColumnSpecs, QueryFailure, QueryOutcome, RowOf
} from './query-types';

const MAX_TEXT_CELL = 4096;
const MAX_DESCRIPTION = 2000;
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const INVALID = Symbol('invalid-cell');

type Cell<K extends CellKind> = CellValues[K] | typeof INVALID;

function toNumber(value: unknown): number | null | typeof INVALID {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : INVALID;
  }
  if (typeof value === 'string' && NUMERIC.test(value.trim())) {
    const n = Number(value.trim());

    return Number.isFinite(n) ? n : INVALID;
  }

  return INVALID;
}

/** Unix seconds from seconds, milliseconds or microseconds (DeepFlow uses all three in places). */
function epochSeconds(n: number): number {
  if (n > 1e14) {
    return n / 1e6;
  }
  if (n > 1e11) {
    return n / 1e3;
  }

  return n;
}

// A date string must carry its zone (Go encodes time.Time as RFC 3339), otherwise its meaning depends on the browser.
const DATE_WITH_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

function readTime(value: unknown): Cell<'time'> {
  if (typeof value === 'string' && DATE_WITH_ZONE.test(value.trim())) {
    // Date.parse handles up to millisecond precision; cut longer fractions.
    const normalized = value.trim().replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1');
    const ms = Date.parse(normalized);

    return Number.isFinite(ms) ? ms / 1000 : INVALID;
  }
  const n = toNumber(value);

  return typeof n === 'number' && n >= 0 ? epochSeconds(n) : INVALID;
}

function readText(value: unknown): Cell<'text'> {
  if (typeof value === 'string') {
    return value.length > MAX_TEXT_CELL ? value.slice(0, MAX_TEXT_CELL) : value;
  }
  if (value === null || value === undefined) {
    return '';
  }
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') {
    return String(value);
  }

  return INVALID;
}

function readCount(value: unknown): Cell<'count'> {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? value : INVALID;
  }
  const n = toNumber(value);

  return n === INVALID || (n !== null && n < 0) ? INVALID : n ?? 0;
}

function readInteger(value: unknown): Cell<'integer'> {
  const n = typeof value === 'number' ? (Number.isFinite(value) ? value : INVALID) : toNumber(value);

  return n === INVALID || (n !== null && !Number.isInteger(n)) ? INVALID : n ?? 0;
}

function readMeasure(value: unknown): Cell<'measure'> {
  return toNumber(value);
}

type Reader = (value: unknown) => unknown;

const READERS: Record<CellKind, Reader> = {
  text:    readText,
  count:   readCount,
  integer: readInteger,
  measure: readMeasure,
  time:    readTime,
};

/** Reads one cell as `kind`; returns a unique symbol for cells that do not fit. */
export function readCell<K extends CellKind>(kind: K, value: unknown): Cell<K> {
  const reader = READERS[kind] as Reader | undefined;

  return (reader ? reader(value) : INVALID) as Cell<K>;
}

const NULL_VALUES: CellValues = {
  text: '', count: 0, integer: 0, measure: null, time: 0
};

/** Bounded plain text: control characters other than tab/newline removed. */
export function plainText(value: unknown, max = MAX_DESCRIPTION): string {
  if (typeof value !== 'string') {
    return '';
  }

  // eslint-disable-next-line no-control-regex -- removes control characters from API text on purpose
  return value.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '').slice(0, max);
}

export type RowsParse<R> =
  | { ok: true; rows: R[]; skippedRows: number }
  | { ok: false; reason: BadResponseReason; detail?: string };

/**
 * True when the cell is the usual JSON type of its kind and is taken as it is (text within bounds, a
 * finite number in the kind's range). Most cells are, and skip the reader's call; the reader would
 * return them unchanged. Everything else goes through the kind's reader.
 */
function plainCell(kind: CellKind, value: unknown): boolean {
  if (typeof value === 'string') {
    return kind === 'text' && value.length <= MAX_TEXT_CELL;
  }
  if (typeof value !== 'number') {
    return false;
  }
  switch (kind) {
  case 'count':
    return value >= 0 && value !== Infinity;
  case 'integer':
    return Number.isInteger(value);
  case 'measure':
    return Number.isFinite(value);
  default:
    return false;
  }
}

/** Reads `result: {columns, values}` into rows; extra columns (the querier adds some) are ignored. */
export function parseRows<S extends ColumnSpecs>(result: unknown, specs: S): RowsParse<RowOf<S>> {
  if (!isRecord(result) || !Array.isArray(result.columns)) {
    return { ok: false, reason: 'unexpected-shape', detail: 'result.columns' };
  }
  const values: unknown = result.values === null || result.values === undefined ? [] : result.values;

  if (!Array.isArray(values)) {
    return { ok: false, reason: 'unexpected-shape', detail: 'result.values' };
  }
  const indexOf = new Map<string, number>();

  result.columns.forEach((c: unknown, i: number) => {
    if (typeof c === 'string' && !indexOf.has(c)) {
      indexOf.set(c, i);
    }
  });
  // Per column, once: where it is and how it is read. Missing optional columns keep the template's value.
  const keys: string[] = [];
  const positions: number[] = [];
  const kinds: CellKind[] = [];
  const readers: Reader[] = [];
  // Rows are copies of one template. Built in one go it keeps fast properties (added key by key, an
  // object past a dozen fields turns into a slow hash table); an object in every field first makes
  // the fields general ("tagged"), so strings, integers, doubles or nulls never reshape the copies.
  const template: Record<string, unknown> = Object.fromEntries(Object.keys(specs).map((key) => [key, {}]));

  for (const [key, spec] of Object.entries(specs)) {
    const at = indexOf.get(spec.column);

    if (at === undefined && !spec.optional) {
      return { ok: false, reason: 'missing-column', detail: plainText(spec.column, 100) };
    }
    template[key] = NULL_VALUES[spec.kind];
    if (at !== undefined) {
      keys.push(key);
      positions.push(at);
      kinds.push(spec.kind);
      readers.push(READERS[spec.kind] ?? (() => INVALID));
    }
  }
  const width = result.columns.length;
  const count = keys.length;
  const rows: RowOf<S>[] = [];
  let skippedRows = 0;

  for (let i = 0; i < values.length; i++) {
    const raw: unknown = values[i];

    // A row that does not match the header is broken, not merely sparse.
    if (!Array.isArray(raw) || raw.length !== width) {
      skippedRows++;
      continue;
    }
    // A copy of the template is several times faster than filling a fresh {} key by key.
    const row: Record<string, unknown> = { ...template };
    let k = 0;

    for (; k < count; k++) {
      const value: unknown = raw[positions[k]];
      const cell = plainCell(kinds[k], value) ? value : readers[k](value);

      if (cell === INVALID) {
        break;
      }
      row[keys[k]] = cell;
    }
    if (k === count) {
      rows.push(row as RowOf<S>);
    } else {
      skippedRows++;
    }
  }
  if (rows.length === 0 && skippedRows > 0) {
    return { ok: false, reason: 'invalid-cells', detail: String(skippedRows) };
  }

  return { ok: true, rows, skippedRows };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The body as JSON. When DeepFlow 7.1.8's querier recovers from a panic it writes its error body and
 * then a second JSON document `{}` (server/querier/querier/querier.go ErrHandle: BadRequestResponse, then
 * c.JSON again), so a body ending in `}{}` is read as its first document.
 */
function parseJson(text: string): unknown {
  const body = tryJson(text);

  return body === undefined && text.endsWith('}{}') ? tryJson(text.slice(0, -2)) : body;
}

/** The querier's DESCRIPTION, or a Kubernetes Status message, or the raw text, as bounded plain text. */
function describe(body: unknown, text: string): string {
  if (isRecord(body)) {
    if (typeof body.DESCRIPTION === 'string' && body.DESCRIPTION) {
      return plainText(body.DESCRIPTION);
    }
    if (typeof body.message === 'string') {
      return plainText(body.message);
    }
    if (typeof body.OPT_STATUS === 'string') {
      return plainText(body.OPT_STATUS);
    }
  }

  return plainText(text);
}

/** A body in the querier's own shape (router/response.go Response) that reports a failure. */
function isQuerierFailure(body: unknown): body is Record<string, unknown> & { OPT_STATUS: string } {
  return isRecord(body) && typeof body.OPT_STATUS === 'string' && body.OPT_STATUS !== 'SUCCESS';
}

export interface ResponseContext {
  namespace: string;
  service: string;
}

const DEFAULT_CONTEXT: ResponseContext = { namespace: QUERIER.namespace, service: QUERIER.service };

/** Maps an HTTP status and body text (from the service proxy or the querier) to an outcome. */
export function interpretResponse<S extends ColumnSpecs>(
  status: number, text: string, specs: S, context: ResponseContext = DEFAULT_CONTEXT
): QueryOutcome<RowOf<S>> {
  const body = parseJson(text);
  const fail = (f: QueryFailure) => f;

  if (status === 401 || status === 403) {
    return fail({
      state: 'forbidden', status, permission: { ...QUERIER.proxyPermission, namespace: context.namespace }
    });
  }
  if (status === 404) {
    return fail({
      state: 'not-installed', status, namespace: context.namespace, service: context.service
    });
  }
  if ([408, 429, 502, 503, 504].includes(status)) {
    return fail({
      state: 'querier-down', cause: 'unavailable', status, detail: describe(body, text)
    });
  }
  if (status >= 400 && status < 500) {
    return fail({ state: 'query-rejected', status, description: describe(body, text) });
  }
  if (status === 500 && isQuerierFailure(body)) {
    // DeepFlow 7.1.8 answers a statement it cannot translate, or that ClickHouse refuses, with HTTP 500
    // and its own body (server/querier/router/response.go: JsonResponse -> InternalErrorResponse with
    // OPT_STATUS "FAIL" and the error as DESCRIPTION): a problem with the query, not a broken server.
    return fail({ state: 'query-rejected', status, description: describe(body, text) });
  }
  if (status >= 500) {
    return fail({ state: 'server-error', status, description: describe(body, text) });
  }
  if (status < 200 || status >= 300) {
    return fail({ state: 'bad-response', status, reason: 'unexpected-status' });
  }
  if (body === undefined) {
    return fail({ state: 'bad-response', status, reason: 'not-json' });
  }
  if (!isRecord(body) || typeof body.OPT_STATUS !== 'string') {
    return fail({
      state: 'bad-response', status, reason: 'unexpected-shape', detail: 'OPT_STATUS'
    });
  }
  if (body.OPT_STATUS !== 'SUCCESS') {
    return fail({ state: 'query-rejected', status, description: describe(body, text) });
  }
  const parsed = parseRows(body.result, specs);

  if (!parsed.ok) {
    return fail({
      state: 'bad-response', status, reason: parsed.reason, detail: parsed.detail
    });
  }
  if (parsed.rows.length === 0) {
    return { state: 'no-data' };
  }

  return { state: 'ok', rows: parsed.rows, skippedRows: parsed.skippedRows };
}
