/**
 * The time ranges the flow views offer and the query window for each, ending "now".
 */
import { QueryWindow, rangeEndingAt } from '../query/queries';
import { DataPrecision, PRECISION_SECONDS } from '../query/schema';

export const TIME_RANGES = ['15m', '1h', '6h', '24h', '7d'] as const;

export type TimeRangeId = typeof TIME_RANGES[number];

export const DEFAULT_TIME_RANGE: TimeRangeId = '1h';

const SECONDS: Record<TimeRangeId, number> = {
  '15m': 15 * 60,
  '1h':  3600,
  '6h':  6 * 3600,
  '24h': 24 * 3600,
  '7d':  7 * 24 * 3600,
};

/**
 * The rows each range reads. A day or a week of minute rows is 1,440 or 10,080 rows per conversation for ClickHouse
 * to add up; the hourly rollups hold the same sums in 24 or 168 (schema.ts DataPrecision). Up to 6 hours the views
 * keep minute detail.
 */
const PRECISION: Record<TimeRangeId, DataPrecision> = {
  '15m': '1m',
  '1h':  '1m',
  '6h':  '1m',
  '24h': '1h',
  '7d':  '1h',
};

export function isTimeRangeId(value: unknown): value is TimeRangeId {
  return typeof value === 'string' && (TIME_RANGES as readonly string[]).includes(value);
}

/** A known range id from untrusted input (a route query), else the default. */
export function timeRangeFrom(value: unknown): TimeRangeId {
  return isTimeRangeId(value) ? value : DEFAULT_TIME_RANGE;
}

/**
 * The window `id` long that ends at `nowMs` (browser time), from the start of its first row (minute or hour): a row
 * counts when its start is in the range, so a start inside an hour would leave that hour's row out.
 */
export function queryWindowFor(id: TimeRangeId, nowMs: number): QueryWindow {
  const nowSeconds = Math.floor(nowMs / 1000);
  const precision = PRECISION[id];
  const range = rangeEndingAt(nowSeconds, SECONDS[id]);
  const row = PRECISION_SECONDS[precision];

  return { range: { start: Math.floor(range.start / row) * row, end: range.end }, nowSeconds, precision };
}
