/**
 * Traffic over time as two SVG polylines (sent and received), from trafficSeriesQuery rows. The
 * querier returns only buckets with traffic, so missing buckets are drawn as zero. The output is
 * numbers only; nothing from the response reaches the SVG as text.
 */
import { SeriesColumns } from '../query/queries';
import { RowOf } from '../query/query-types';
import { TimeRange } from '../query/sql';

export type SeriesRow = RowOf<SeriesColumns>;

export interface SparklineOptions {
  range: TimeRange;
  bucketSeconds: number;
  width: number;
  height: number;
}

export interface Sparkline {
  /** `points` attribute values of <polyline>. */
  sent: string;
  received: string;
  /** Highest rate in the chart, bytes per second (the top of the y axis). */
  peakBytesPerSecond: number;
  totalSent: number;
  totalReceived: number;
  buckets: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function sparkline(rows: readonly SeriesRow[], options: SparklineOptions): Sparkline {
  const { range, width, height } = options;
  const step = Math.max(1, options.bucketSeconds);
  const first = Math.floor(range.start / step) * step;
  const buckets = Math.max(1, Math.min(2000, Math.ceil((range.end - first) / step)));
  const sent = new Array<number>(buckets).fill(0);
  const received = new Array<number>(buckets).fill(0);
  let totalSent = 0;
  let totalReceived = 0;

  for (const row of rows) {
    const i = Math.floor((row.time - first) / step);

    if (i >= 0 && i < buckets) {
      sent[i] += row.bytesTx;
      received[i] += row.bytesRx;
    }
    totalSent += row.bytesTx;
    totalReceived += row.bytesRx;
  }
  const peak = Math.max(0, ...sent, ...received);
  const x = (i: number) => round(buckets === 1 ? width / 2 : (i / (buckets - 1)) * width);
  // A 1px margin keeps the line visible at zero and at the peak.
  const y = (v: number) => round(peak > 0 ? height - 1 - (v / peak) * (height - 2) : height - 1);
  const line = (values: number[]) => values.map((v, i) => `${ x(i) },${ y(v) }`).join(' ');

  return {
    sent:               line(sent),
    received:           line(received),
    peakBytesPerSecond: peak / step,
    totalSent,
    totalReceived,
    buckets,
  };
}
