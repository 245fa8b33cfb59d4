/**
 * Types shared by the query builders, the response parser and the querier client: a prepared
 * query names the columns it expects and how to read each cell, so rows arrive typed.
 */
import { DataPrecision, QuerierDb } from './schema';

/**
 * How a result cell is read:
 * - text: string; null/missing -> ''; numbers and booleans are stringified.
 * - count: a non-negative number (numeric strings accepted); null -> 0.
 * - integer: a whole number (numeric strings accepted); null -> 0.
 * - measure: a finite number (numeric strings accepted); null stays null (e.g. no RTT samples).
 * - time: unix seconds from a number (s, ms or µs) or a date string with a zone; null is invalid.
 */
export type CellKind = 'text' | 'count' | 'integer' | 'measure' | 'time';

export interface CellValues {
  text: string;
  count: number;
  integer: number;
  measure: number | null;
  time: number;
}

export interface ColumnSpec {
  /** The column name in the querier's response. */
  column: string;
  kind: CellKind;
  /** A missing optional column reads as the kind's null value instead of failing the response. */
  optional?: boolean;
}

export type ColumnSpecs = Record<string, ColumnSpec>;

export type RowOf<S extends ColumnSpecs> = { [P in keyof S]: CellValues[S[P]['kind']] };

/** A statement ready for POST /v1/query/, with the shape of the rows it returns. */
export interface PreparedQuery<S extends ColumnSpecs> {
  db: QuerierDb;
  sql: string;
  dataPrecision?: DataPrecision;
  columns: S;
}

export type BadResponseReason = 'not-json' | 'unexpected-shape' | 'missing-column' | 'invalid-cells' | 'unexpected-status';

export type QuerierDownCause = 'unavailable' | 'network' | 'timeout';

/** Failure states; each maps to networkMonitoring.flows.states.<state> in l10n. */
export type QueryFailure =
  | { state: 'not-installed'; status: number; namespace: string; service: string }
  | { state: 'forbidden'; status: number; permission: { verb: string; resource: string; namespace: string } }
  | { state: 'querier-down'; cause: QuerierDownCause; status?: number; detail?: string }
  | { state: 'query-rejected'; status: number; description: string }
  | { state: 'server-error'; status: number; description: string }
  | { state: 'bad-response'; status: number; reason: BadResponseReason; detail?: string }
  | { state: 'aborted' };

export type QueryState = QueryFailure['state'] | 'ok' | 'no-data';

export type QueryOutcome<R> =
  | { state: 'ok'; rows: R[]; skippedRows: number }
  | { state: 'no-data' }
  | QueryFailure;

/** Where the querier's Service is; defaults come from QUERIER in constants.ts. */
export interface QuerierLocation {
  clusterId: string;
  namespace?: string;
  service?: string;
  port?: number;
}
