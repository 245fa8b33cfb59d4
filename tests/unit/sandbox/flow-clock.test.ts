/**
 * The querier stand-in generates its flows from the clock: whatever "now" is, every time range the flow views
 * offer (TIME_RANGES, 15 min to 7 days) has traffic, flow records and a series, so the sandbox keeps showing
 * live data however long it runs. Only time moves: the seeded edges and their per-minute values stay the same.
 */
import {
  EdgeColumns, PreparedQuery, QueryOutcome, RowOf, ColumnSpecs, edgesQuery, flowRecordsQuery, interpretResponse, queryFormBody, trafficSeriesQuery, bucketSecondsFor
} from '@pkg/domain/flows';
import { TIME_RANGES, queryWindowFor } from '@pkg/domain/flows/view/view-time';
import { answerQuerier } from '../../../sandbox/backend/querier';
import { buildCluster } from '../../../sandbox/backend/seed/cluster';
import { buildFlowEdges } from '../../../sandbox/backend/seed/flows';

const edges = buildFlowEdges(buildCluster().endpoints);

function rowsAt<S extends ColumnSpecs>(now: Date, query: PreparedQuery<S>): RowOf<S>[] {
  const answer = answerQuerier(new URLSearchParams(queryFormBody(query)), edges, now, { contract: null });
  const outcome: QueryOutcome<RowOf<S>> = interpretResponse(answer.status, JSON.stringify(answer.body), query.columns);

  if (outcome.state !== 'ok') {
    throw new Error(`expected rows at ${ now.toISOString() }, got ${ JSON.stringify(outcome) }`);
  }

  return outcome.rows;
}

// Arbitrary moments, not aligned to minutes or to the ten-minute flow-record period.
const MOMENTS = [new Date('2026-11-23T12:00:00Z'), new Date('2027-02-01T03:17:41Z'), new Date('2031-07-09T23:54:09Z')];

describe('querier stand-in: flows follow the clock', () => {
  it.each(MOMENTS.map((m) => [m.toISOString(), m]))('has traffic, records and a series in every time range ending at %s', (_, now) => {
    TIME_RANGES.forEach((id) => {
      const window = queryWindowFor(id, now.getTime());
      const edgeRows = rowsAt(now, edgesQuery({ window, limit: 20 }));
      const records = rowsAt(now, flowRecordsQuery({ window, pageSize: 5 }));
      const vm = edges.find((e) => e.client.role === 'vm')!.client;
      const series = rowsAt(now, trafficSeriesQuery({ window, endpoint: { ips: [vm.ip] }, bucketSeconds: bucketSecondsFor(window.range, undefined, window.precision) }));

      expect({ id, edges: edgeRows.length > 0, records: records.length > 0, series: series.length > 0 }).toEqual({
        id, edges: true, records: true, series: true
      });
      records.forEach((r) => {
        expect(r.endTime).toBeGreaterThanOrEqual(window.range.start);
        expect(r.endTime).toBeLessThanOrEqual(now.getTime() / 1000);
      });
    });
  });

  it('keeps the seeded edges and their values: an hour later the running edges answer the same for the same minutes', () => {
    const now = MOMENTS[0];
    const later = new Date(now.getTime() + 3600_000);
    const window = queryWindowFor('1h', now.getTime());
    const key = (r: RowOf<EdgeColumns>) => `${ r.clientIp }>${ r.serverIp }:${ r.serverPort }`;
    const before = rowsAt(now, edgesQuery({ window, limit: 500 }));
    const after = rowsAt(later, edgesQuery({ window, limit: 500 }));

    const afterBytes = new Map(after.map((r) => [key(r), r.bytes]));

    // Edges that stop two hours before "now" (querier.ts sources) reach into the earlier window by then.
    expect(before.map((r) => [key(r), afterBytes.get(key(r))])).toEqual(before.map((r) => [key(r), r.bytes]));
    const fresh = rowsAt(later, edgesQuery({ window: queryWindowFor('1h', later.getTime()), limit: 500 }));

    expect(new Set(fresh.map(key))).toEqual(new Set(before.map(key)));
  });
});
