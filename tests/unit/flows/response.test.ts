import fs from 'fs';
import path from 'path';
import { interpretResponse, parseRows, plainText, readCell } from '@pkg/domain/flows/query/response';
import { EDGE_COLUMNS, FLOW_RECORD_COLUMNS, SERIES_COLUMNS } from '@pkg/domain/flows/query/queries';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../../fixtures/querier', name), 'utf8');

describe('interpretResponse with DeepFlow-shaped answers', () => {
  it('reads edges, ignoring extra columns the querier adds and accepting numbers as strings and null RTT', () => {
    const out = interpretResponse(200, fixture('edges.json'), EDGE_COLUMNS);

    expect(out.state).toBe('ok');
    if (out.state !== 'ok') {
      return;
    }
    expect(out.skippedRows).toBe(0);
    expect(out.rows).toHaveLength(3);
    expect(out.rows[0]).toEqual({
      clientIp:         '10.52.0.10',
      serverIp:         '10.52.1.20',
      clientPod:        'web-0',
      serverPod:        'db-0',
      clientNamespace:  'shop',
      serverNamespace:  'shop',
      clientNode:       'node-1',
      serverNode:       'node-2',
      protocol:         6,
      serverPort:       5432,
      bytes:            15000,
      bytesTx:          10000,
      bytesRx:          5000,
      packetsTx:        80,
      packetsRx:        60,
      rttUs:            210.5,
      retrans:          2,
      tcpEstablishFail: 0,
      newFlows:         12,
    });
    expect(out.rows[1]).toMatchObject({
      bytes: 3000, bytesTx: 1000, bytesRx: 2000, packetsTx: 10, rttUs: null, newFlows: 4, protocol: 17, serverPort: 53
    });
    expect(out.rows[2]).toMatchObject({ serverIp: 'fd00:10:0:0:0:0:0:6', rttUs: 1200, tcpEstablishFail: 1 });
  });

  it('keeps hostile strings as inert text and skips rows with wrongly typed cells', () => {
    const out = interpretResponse(200, fixture('edges-hostile.json'), EDGE_COLUMNS);

    expect(out.state).toBe('ok');
    if (out.state !== 'ok') {
      return;
    }
    // Object cell, port "80; DROP", negative bytes, fractional port, a non-array row and a short row.
    expect(out.skippedRows).toBe(6);
    expect(out.rows).toHaveLength(1);
    expect(out.rows[0].clientPod).toBe('<img src=x onerror=alert(1)>');
    expect(out.rows[0].serverPod).toBe('x\'; DROP TABLE flow_log; --');
    expect(out.rows[0].serverNamespace).toBe('\u202eevil');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads a time series with seconds, numeric strings and milliseconds', () => {
    const out = interpretResponse(200, fixture('series.json'), SERIES_COLUMNS);

    expect(out).toEqual({
      state:       'ok',
      skippedRows: 0,
      rows:        [
        {
          time: 1777629600, bytesTx: 1000, bytesRx: 2000, packets: 30, newFlows: 2, retrans: 0
        },
        {
          time: 1777629900, bytesTx: 1500, bytesRx: 2500, packets: 40, newFlows: 3, retrans: 1
        },
        {
          time: 1777630200, bytesTx: 0, bytesRx: 0, packets: 0, newFlows: 0, retrans: 0
        },
      ],
    });
  });

  it('reads flow records with RFC 3339 times in any zone', () => {
    const out = interpretResponse(200, fixture('flow-log.json'), FLOW_RECORD_COLUMNS);

    expect(out.state).toBe('ok');
    if (out.state !== 'ok') {
      return;
    }
    expect(out.rows[0].startTime).toBeCloseTo(Date.parse('2026-05-01T02:00:00.123Z') / 1000, 3);
    expect(out.rows[0].endTime).toBe(Date.parse('2026-05-01T10:00:30Z') / 1000);
    expect(out.rows[0]).toMatchObject({
      clientPort: 41234, serverPort: 5432, bytes: 1500, rttUs: 180, durationUs: 30000000, closeType: 1
    });
    expect(out.rows[1]).toMatchObject({
      startTime: Date.parse('2026-05-01T02:00:00Z') / 1000, bytes: 120, rttUs: null, durationUs: 1000000
    });
  });

  it.each(['empty-null-values.json', 'empty-values.json'])('reports no-data for %s', (name) => {
    expect(interpretResponse(200, fixture(name), SERIES_COLUMNS)).toEqual({ state: 'no-data' });
  });

  it('maps a 400 INVALID_POST_DATA to query-rejected with the description as plain text', () => {
    expect(interpretResponse(400, fixture('error-invalid-post-data-400.json'), SERIES_COLUMNS)).toEqual({
      state: 'query-rejected', status: 400, description: 'syntax error at position 42 near \'<script>alert(1)</script>\''
    });
  });

  it('maps the querier\'s own 500 (OPT_STATUS FAIL, router/response.go InternalErrorResponse) to query-rejected, stripping control characters', () => {
    expect(interpretResponse(500, fixture('error-server-500.json'), SERIES_COLUMNS)).toEqual({
      state: 'query-rejected', status: 500, description: 'code: 241, message: Memory limit (total) exceeded'
    });
    expect(interpretResponse(500, fixture('error-translate-500.json'), SERIES_COLUMNS)).toEqual({
      state: 'query-rejected', status: 500, description: 'function: Sum(byte) not support'
    });
  });

  it('keeps a querier 500 without DESCRIPTION a rejected query, naming its OPT_STATUS', () => {
    expect(interpretResponse(500, JSON.stringify({ OPT_STATUS: 'SERVER_ERROR', DESCRIPTION: '', result: null }), SERIES_COLUMNS)).toEqual({
      state: 'query-rejected', status: 500, description: 'SERVER_ERROR'
    });
  });

  it('reads the body of a recovered querier panic: its error document followed by `{}` (querier/querier.go ErrHandle)', () => {
    const body = '{"OPT_STATUS":"SERVER_ERROR","DESCRIPTION":"runtime error: index out of range [1] with length 1","result":null,"debug":null}{}';

    expect(interpretResponse(400, body, SERIES_COLUMNS)).toEqual({
      state: 'query-rejected', status: 400, description: 'runtime error: index out of range [1] with length 1'
    });
  });

  it('keeps a 500 that is not the querier\'s answer (a proxy page, other JSON, a SUCCESS body) and other 5xx as server-error', () => {
    expect(interpretResponse(500, fixture('error-proxy-500.txt'), SERIES_COLUMNS)).toMatchObject({ state: 'server-error', status: 500 });
    expect(interpretResponse(500, JSON.stringify({ message: 'boom' }), SERIES_COLUMNS)).toEqual({ state: 'server-error', status: 500, description: 'boom' });
    expect(interpretResponse(500, JSON.stringify({ OPT_STATUS: 'SUCCESS', result: null }), SERIES_COLUMNS)).toMatchObject({ state: 'server-error', status: 500 });
    expect(interpretResponse(500, JSON.stringify({ OPT_STATUS: 42 }), SERIES_COLUMNS)).toMatchObject({ state: 'server-error' });
    expect(interpretResponse(501, fixture('error-translate-500.json'), SERIES_COLUMNS)).toEqual({
      state: 'server-error', status: 501, description: 'function: Sum(byte) not support'
    });
  });

  it('maps a 200 whose OPT_STATUS is not SUCCESS to query-rejected', () => {
    expect(interpretResponse(200, fixture('error-fail-200.json'), SERIES_COLUMNS)).toEqual({
      state: 'query-rejected', status: 200, description: 'clickhouse: connection refused'
    });
  });

  it('maps the service proxy answers: 404 not-installed, 403 forbidden with the permission, 503 querier-down', () => {
    expect(interpretResponse(404, fixture('k8s-service-not-found-404.json'), SERIES_COLUMNS)).toEqual({
      state: 'not-installed', status: 404, namespace: 'harvester-network-monitoring', service: 'hnm-server'
    });
    expect(interpretResponse(403, fixture('k8s-forbidden-403.json'), SERIES_COLUMNS, { namespace: 'mon', service: 'srv' })).toEqual({
      state: 'forbidden', status: 403, permission: { verb: 'create', resource: 'services/proxy', namespace: 'mon' }
    });
    expect(interpretResponse(401, '', SERIES_COLUMNS)).toMatchObject({ state: 'forbidden', status: 401 });
    expect(interpretResponse(503, fixture('k8s-no-endpoints-503.json'), SERIES_COLUMNS)).toEqual({
      state:  'querier-down',
      cause:  'unavailable',
      status: 503,
      detail: 'no endpoints available for service "http:hnm-server:20416"',
    });
  });

  it.each([502, 504, 408, 429])('maps %i to querier-down', (status) => {
    expect(interpretResponse(status, '<html>Bad Gateway</html>', SERIES_COLUMNS)).toMatchObject({ state: 'querier-down', cause: 'unavailable', status });
  });

  it.each([
    [418, 'query-rejected'], [501, 'server-error'], [302, 'bad-response'], [101, 'bad-response'],
  ])('maps other status %i to %s', (status, state) => {
    expect(interpretResponse(status, 'x', SERIES_COLUMNS).state).toBe(state);
  });

  it.each([
    ['<html>login</html>', 'not-json'],
    ['', 'not-json'],
    ['[]', 'unexpected-shape'],
    ['"SUCCESS"', 'unexpected-shape'],
    ['{"OPT_STATUS": 1}', 'unexpected-shape'],
    ['{"OPT_STATUS": "SUCCESS"}', 'unexpected-shape'],
    ['{"OPT_STATUS": "SUCCESS", "result": {"columns": "x", "values": []}}', 'unexpected-shape'],
    ['{"OPT_STATUS": "SUCCESS", "result": {"columns": [], "values": {}}}', 'unexpected-shape'],
    ['{"OPT_STATUS": "SUCCESS", "result": {"columns": ["sum_byte_tx"], "values": []}}', 'missing-column'],
    ['{"OPT_STATUS": "SUCCESS", "result": {"columns": ["time_bucket","sum_byte_tx","sum_byte_rx","sum_packet","sum_new_flow","sum_retrans"], "values": [["x",1,1,1,1,1]]}}', 'invalid-cells'],
  ])('maps the 200 body %s to bad-response (%s)', (body, reason) => {
    expect(interpretResponse(200, body, SERIES_COLUMNS)).toMatchObject({ state: 'bad-response', status: 200, reason });
  });
});

describe('readCell', () => {
  it.each([
    ['text', 'abc', 'abc'], ['text', null, ''], ['text', undefined, ''], ['text', 42, '42'], ['text', true, 'true'],
    ['count', 5, 5], ['count', '5', 5], ['count', ' 7 ', 7], ['count', '1e3', 1000], ['count', null, 0], ['count', 0, 0],
    ['integer', 443, 443], ['integer', '443', 443], ['integer', null, 0], ['integer', -1, -1],
    ['measure', 1.5, 1.5], ['measure', '1.5', 1.5], ['measure', null, null], ['measure', -2, -2],
    ['time', 1777629600, 1777629600], ['time', '1777629600', 1777629600], ['time', 1777629600000, 1777629600], ['time', 1777629600000000, 1777629600],
    ['time', '2026-05-01T10:00:00Z', 1777629600], ['time', '2026-05-01T12:00:00+02:00', 1777629600], ['time', '2026-05-01 10:00:00Z', 1777629600],
  ])('reads a %s cell %p as %p', (kind, value, expected) => {
    expect(readCell(kind as any, value)).toEqual(expected);
  });

  it.each([
    ['text', {}], ['text', []], ['text', NaN],
    ['count', -1], ['count', '-1'], ['count', 'abc'], ['count', '0x10'], ['count', '1,000'], ['count', {}], ['count', Infinity], ['count', ''],
    ['integer', 1.5], ['integer', '80; DROP'], ['integer', []],
    ['measure', 'NaN'], ['measure', 'Infinity'],
    ['time', null], ['time', '2026-05-01 10:00:00'], ['time', 'yesterday'], ['time', -5], ['time', '2026-13-45T99:00:00Z'],
  ])('rejects a %s cell %p', (kind, value) => {
    expect(typeof readCell(kind as any, value)).toBe('symbol');
  });

  it('bounds long text cells', () => {
    expect((readCell('text', 'x'.repeat(10000)) as string).length).toBe(4096);
  });
});

describe('parseRows and plainText', () => {
  it('fills optional missing columns with the null value', () => {
    const out = parseRows({ columns: ['a'], values: [['x']] }, { a: { column: 'a', kind: 'text' }, b: { column: 'b', kind: 'count', optional: true } });

    expect(out).toEqual({ ok: true, rows: [{ a: 'x', b: 0 }], skippedRows: 0 });
  });

  it('uses the first of duplicated column names', () => {
    const out = parseRows({ columns: ['a', 'a'], values: [['first', 'second']] }, { a: { column: 'a', kind: 'text' } });

    expect(out).toMatchObject({ rows: [{ a: 'first' }] });
  });

  it('reads every cell of a column as readCell reads it, skipping the rows with a cell that does not fit', () => {
    // Common cells take a shortcut past the readers; this pins the shortcut to the readers' decisions.
    const cells: unknown[] = [
      0, -0, 1, -1, 1.5, -2.5, 2 ** 53, 1e308, Infinity, -Infinity, NaN, '7', ' 8 ', '1e3', '-1', '', 'x', 'x'.repeat(4096), 'x'.repeat(4097),
      null, true, false, {}, [], '2026-05-01T10:00:00Z', 1777629600000,
    ];

    for (const kind of ['text', 'count', 'integer', 'measure', 'time'] as const) {
      const out = parseRows({ columns: ['c'], values: cells.map((c) => [c]) }, { v: { column: 'c', kind } });
      const expected = cells.map((c) => readCell(kind, c)).filter((c) => typeof c !== 'symbol');

      expect(out).toEqual({ ok: true, rows: expected.map((v) => ({ v })), skippedRows: cells.length - expected.length });
    }
  });

  it('fills rows of many columns with the right cell in each field, whatever the column order', () => {
    const specs = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${ i }`, { column: `c${ i }`, kind: i % 2 ? 'count' : 'text' } as const]));
    const columns = Object.values(specs).map((s) => s.column).reverse();
    const values = [0, 1, 2].map((r) => columns.map((c) => (Number(c.slice(1)) % 2 ? r * 100 + Number(c.slice(1)) : `${ c }-${ r }`)));
    const out = parseRows({ columns, values }, specs);

    expect(out.ok && out.rows[2]).toEqual(Object.fromEntries(Object.keys(specs).map((k, i) => [k, i % 2 ? 200 + i : `c${ i }-2`])));
  });

  it('keeps tabs and newlines but drops other control characters', () => {
    expect(plainText('a\u0000b\tc\nd\u001be\u0085')).toBe('ab\tc\nde');
    expect(plainText(5)).toBe('');
    expect(plainText('x'.repeat(5000))).toHaveLength(2000);
  });
});
