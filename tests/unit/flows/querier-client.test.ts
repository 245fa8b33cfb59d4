import fs from 'fs';
import path from 'path';
import {
  FetchLike, QuerierLocationError, RequestInitLike, createQuerierClient, csrfHeaders, queryFormBody, querierQueryUrl
} from '@pkg/domain/flows/query/querier-client';
import { QUERIER } from '@pkg/domain/flows/query/constants';
import { errorOf } from '../../support/error-of';
import { SERIES_COLUMNS, flowRecordsQuery, trafficSeriesQuery } from '@pkg/domain/flows/query/queries';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../../fixtures/querier', name), 'utf8');
const NOW = 1_777_700_000;
const query = trafficSeriesQuery({ window: { range: { start: NOW - 3600, end: NOW }, nowSeconds: NOW }, endpoint: { ips: ['10.0.0.1'] } });
const logQuery = flowRecordsQuery({ window: { range: { start: NOW - 3600, end: NOW }, nowSeconds: NOW } });

interface Call { url: string; init: RequestInitLike }

function fakeFetch(status: number, body: string): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: FetchLike = async(url, init) => {
    calls.push({ url, init });

    return { status, text: async() => body };
  };

  return { fetch, calls };
}

/** A transport that never answers and ignores the abort signal, like a wedged proxy. */
const hangingFetch: FetchLike = () => new Promise(() => undefined);

describe('querier URL', () => {
  it('goes through the cluster proxy, without a prefix for the local cluster', () => {
    expect(querierQueryUrl({ clusterId: 'local' }))
      .toBe('/api/v1/namespaces/harvester-network-monitoring/services/http:hnm-server:20416/proxy/v1/query/');
    expect(querierQueryUrl({
      clusterId: 'c-m-abc123', namespace: 'mon', service: 'deepflow-server', port: 20416
    })).toBe('/k8s/clusters/c-m-abc123/api/v1/namespaces/mon/services/http:deepflow-server:20416/proxy/v1/query/');
  });

  it.each([
    [{ clusterId: '../../v3/users' }, 'clusterId'],
    [{ clusterId: 'c-1/../x' }, 'clusterId'],
    [{ clusterId: '' }, 'clusterId'],
    [{ clusterId: 'local', namespace: 'Mon' }, 'namespace'],
    [{ clusterId: 'local', namespace: 'a/b' }, 'namespace'],
    [{ clusterId: 'local', service: 'svc:80' }, 'service'],
    [{ clusterId: 'local', port: 0 }, 'port'],
    [{ clusterId: 'local', port: 70000 }, 'port'],
  ])('rejects %p', (location, field) => {
    const error = errorOf(() => querierQueryUrl(location as any));

    expect(error).toBeInstanceOf(QuerierLocationError);
    expect(error).toMatchObject({ field });
  });
});

describe('request', () => {
  it('posts the form with db, sql and data_precision', async() => {
    const { fetch, calls } = fakeFetch(200, fixture('series.json'));
    const client = createQuerierClient({ fetch, clusterId: 'c-1', headers: { 'X-Api-Csrf': 'tok' } });

    expect(query.dataPrecision).toBe('1m');
    await client.run(query);
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe(client.url);
    expect(calls[0].init.method).toBe('POST');
    expect(calls[0].init.credentials).toBe('same-origin');
    expect(calls[0].init.headers).toEqual({
      Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', 'X-Api-Csrf': 'tok'
    });
    const form = new URLSearchParams(calls[0].init.body);

    expect(form.get('db')).toBe('flow_metrics');
    expect(form.get('sql')).toBe(query.sql);
    expect(form.get('data_precision')).toBe('1m');
  });

  it('encodes quotes, ampersands and unicode in the SQL losslessly', () => {
    const sql = 'SELECT pod FROM network WHERE pod=\'a&b=c+d %20 \\\' 😀\u202e\' LIMIT 1';
    const body = queryFormBody({ ...logQuery, sql });

    expect(body).not.toContain('&b=');
    expect(new URLSearchParams(body).get('sql')).toBe(sql);
  });

  it('sends data_precision 1m for flow_metrics and none for flow_log', () => {
    const metrics = new URLSearchParams(queryFormBody(query));
    const log = new URLSearchParams(queryFormBody(logQuery));

    expect([metrics.get('db'), metrics.get('data_precision')]).toEqual(['flow_metrics', '1m']);
    expect(log.get('db')).toBe('flow_log');
    expect(log.has('data_precision')).toBe(false);
  });

  it('reads Rancher\'s CSRF cookie into the header', () => {
    expect(csrfHeaders('R_SESS=x; CSRF=abc123; other=1')).toEqual({ 'X-Api-Csrf': 'abc123' });
    expect(csrfHeaders('CSRF=a%2Fb')).toEqual({ 'X-Api-Csrf': 'a/b' });
    expect(csrfHeaders('XCSRF=nope')).toEqual({});
    expect(csrfHeaders(undefined)).toEqual({});
  });
});

describe('outcomes per status', () => {
  it.each([
    [200, 'series.json', 'ok'],
    [200, 'empty-null-values.json', 'no-data'],
    [200, 'error-fail-200.json', 'query-rejected'],
    [400, 'error-invalid-post-data-400.json', 'query-rejected'],
    [401, 'k8s-forbidden-403.json', 'forbidden'],
    [403, 'k8s-forbidden-403.json', 'forbidden'],
    [404, 'k8s-service-not-found-404.json', 'not-installed'],
    [500, 'error-server-500.json', 'query-rejected'],
    [500, 'error-translate-500.json', 'query-rejected'],
    [500, 'error-proxy-500.txt', 'server-error'],
    [502, 'k8s-no-endpoints-503.json', 'querier-down'],
    [503, 'k8s-no-endpoints-503.json', 'querier-down'],
    [504, 'k8s-no-endpoints-503.json', 'querier-down'],
  ])('status %i with %s -> %s', async(status, body, state) => {
    const client = createQuerierClient({ fetch: fakeFetch(status, fixture(body)).fetch, clusterId: 'local' });
    const out = await client.run(query);

    expect(out.state).toBe(state);
  });

  it('types the rows of a successful query', async() => {
    const client = createQuerierClient({ fetch: fakeFetch(200, fixture('series.json')).fetch, clusterId: 'local' });
    const out = await client.run(query);

    expect(out.state === 'ok' && out.rows[1].bytesRx).toBe(2500);
  });

  it('names the permission and the configured namespace when forbidden', async() => {
    const client = createQuerierClient({ fetch: fakeFetch(403, '').fetch, clusterId: 'local', namespace: 'other-ns' });

    expect(await client.run(query)).toEqual({
      state: 'forbidden', status: 403, permission: { verb: 'create', resource: 'services/proxy', namespace: 'other-ns' }
    });
  });

  it('maps a network error to querier-down (network)', async() => {
    const client = createQuerierClient({ fetch: () => Promise.reject(new TypeError('Failed to fetch\u0000')), clusterId: 'local' });

    expect(await client.run(query)).toEqual({ state: 'querier-down', cause: 'network', detail: 'Failed to fetch' });
  });

  it('maps a body that cannot be read to querier-down (network)', async() => {
    const client = createQuerierClient({ fetch: async() => ({ status: 200, text: () => Promise.reject(new Error('reset')) }), clusterId: 'local' });

    expect(await client.run(query)).toMatchObject({ state: 'querier-down', cause: 'network' });
  });
});

describe('timeouts and cancellation', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('times out after the default 15 s even when the transport ignores the signal', async() => {
    jest.useFakeTimers();
    const client = createQuerierClient({ fetch: hangingFetch, clusterId: 'local' });
    const pending = client.run(query);

    jest.advanceTimersByTime(QUERIER.timeoutMs - 1);
    await Promise.resolve();
    let settled = false;

    pending.then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    jest.advanceTimersByTime(1);
    expect(await pending).toEqual({ state: 'querier-down', cause: 'timeout' });
  });

  it('aborts the transport signal on timeout', async() => {
    let seen: AbortSignal | undefined;
    const client = createQuerierClient({
      fetch: (_url, init) => {
        seen = init.signal;

        return new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => reject(new Error('AbortError'))));
      },
      clusterId: 'local',
      timeoutMs: 5,
    });

    expect(await client.run(query)).toEqual({ state: 'querier-down', cause: 'timeout' });
    expect(seen?.aborted).toBe(true);
  });

  it('honours a per-run timeout', async() => {
    const client = createQuerierClient({ fetch: hangingFetch, clusterId: 'local', timeoutMs: 60_000 });

    expect(await client.run(query, { timeoutMs: 5 })).toEqual({ state: 'querier-down', cause: 'timeout' });
  });

  it('resolves as aborted when the page aborts, and aborts the transport', async() => {
    let seen: AbortSignal | undefined;
    const client = createQuerierClient({
      fetch: (_url, init) => {
        seen = init.signal;

        return new Promise(() => undefined);
      },
      clusterId: 'local',
    });
    const controller = new AbortController();
    const pending = client.run(query, { signal: controller.signal });

    controller.abort();
    expect(await pending).toEqual({ state: 'aborted' });
    expect(seen?.aborted).toBe(true);
  });

  it('does not call the transport when already aborted', async() => {
    const { fetch, calls } = fakeFetch(200, fixture('series.json'));
    const controller = new AbortController();

    controller.abort();
    expect(await createQuerierClient({ fetch, clusterId: 'local' }).run(query, { signal: controller.signal })).toEqual({ state: 'aborted' });
    expect(calls).toHaveLength(0);
  });

  it('reports aborted, not a network error, when the transport rejects because of the abort', async() => {
    const controller = new AbortController();
    const client = createQuerierClient({
      fetch:     (_url, init) => new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => reject(new Error('The user aborted a request.')))),
      clusterId: 'local',
    });
    const pending = client.run(query, { signal: controller.signal });

    controller.abort();
    expect(await pending).toEqual({ state: 'aborted' });
  });

  it('leaves no timer behind after a fast answer', async() => {
    jest.useFakeTimers();
    const client = createQuerierClient({ fetch: fakeFetch(200, fixture('series.json')).fetch, clusterId: 'local' });

    await client.run(query);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('columns', () => {
  it('parse with the column specs of the prepared query', () => {
    expect(Object.keys(query.columns)).toEqual(Object.keys(SERIES_COLUMNS));
  });
});
