/**
 * The time ranges the flow views offer and the query window for each, ending "now".
 */
import { QueryWindow, rangeEndingAt } from '../query/queries';

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

export function isTimeRangeId(value: unknown): value is TimeRangeId {
  return typeof value === 'string' && (TIME_RANGES as readonly string[]).includes(value);
}

/** A known range id from untrusted input (a route query), else the default. */
export function timeRangeFrom(value: unknown): TimeRangeId {
  return isTimeRangeId(value) ? value : DEFAULT_TIME_RANGE;
}

export function rangeSeconds(id: TimeRangeId): number {
  return SECONDS[id];
}

/** The window `id` long that ends at `nowMs` (browser time). */
export function queryWindowFor(id: TimeRangeId, nowMs: number): QueryWindow {
  const nowSeconds = Math.floor(nowMs / 1000);

  return { range: rangeEndingAt(nowSeconds, SECONDS[id]), nowSeconds };
}
