/**
 * The recorded DeepFlow contract (fixtures/deepflow-v7.1.8-translations.json, written by
 * scripts/record-deepflow-contract.sh from DeepFlow's own querier code) and lookups into it.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

export const DEEPFLOW_REF = 'v7.1.8';

export interface Recording {
  id: string;
  db: string;
  data_precision: string;
  sql: string;
  ok: boolean;
  clickhouse_sql: string[];
  error: string | null;
  http_status: number;
  opt_status: string | null;
  panic: boolean;
}

export interface RecordingsFile {
  source: { repo: string; ref: string; path: string };
  recordings: Recording[];
}

const FIXTURES = join(__dirname, 'fixtures');

export function loadRecordings(): RecordingsFile {
  return JSON.parse(readFileSync(join(FIXTURES, `deepflow-${ DEEPFLOW_REF }-translations.json`), 'utf8'));
}

export function loadJson<T>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, name), 'utf8'));
}

/** The recording of exactly this request (db, precision and SQL text), if any. */
export function recordingFor(file: RecordingsFile, request: { db: string; data_precision: string; sql: string }): Recording | undefined {
  return file.recordings.find((r) => r.db === request.db && r.data_precision === request.data_precision && r.sql === request.sql);
}
