/**
 * Calls DeepFlow's SQL API (POST /v1/query/) through the Kubernetes API server's service proxy of
 * the current cluster. The transport is injected (window.fetch, a store request wrapper, or a test
 * fake); the client adds the timeout, cancellation and the mapping of every failure to a state.
 * `run` never rejects: it resolves with an outcome the view can render.
 */
import { QUERIER } from './constants';
import {
  ColumnSpecs, PreparedQuery, QuerierLocation, QueryOutcome, RowOf
} from './query-types';
import { interpretResponse, plainText } from './response';
import { ServiceLocationField, serviceLocationProblem, serviceProxyPath } from '../../stack/urls';

/** The subset of a fetch Response the client reads. */
export interface ResponseLike {
  status: number;
  text(): Promise<string>;
}

export interface RequestInitLike {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
  credentials: 'same-origin';
}

/** fetch's shape; `window.fetch` satisfies it. */
export type FetchLike = (url: string, init: RequestInitLike) => Promise<ResponseLike>;

export interface QuerierClientOptions extends QuerierLocation {
  fetch: FetchLike;
  /** Per-request timeout in ms (default QUERIER.timeoutMs = 15 s). */
  timeoutMs?: number;
  /** Extra headers, e.g. Rancher's CSRF header (see csrfHeaders). */
  headers?: Record<string, string>;
}

export interface RunOptions {
  /** Aborting it (e.g. when the user leaves the page) resolves the run with state 'aborted'. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface QuerierClient {
  /** The proxied query URL the client posts to. */
  readonly url: string;
  run<S extends ColumnSpecs>(query: PreparedQuery<S>, options?: RunOptions): Promise<QueryOutcome<RowOf<S>>>;
}

export class QuerierLocationError extends Error {
  constructor(readonly field: ServiceLocationField) {
    super(`invalid querier location: ${ field }`);
    this.name = 'QuerierLocationError';
  }
}

/** `<prefix>/api/v1/namespaces/<ns>/services/http:<svc>:<port>/proxy` with validated parts. */
export function serviceProxyBase(clusterId: string, namespace: string, service: string, port: number): string {
  const location = {
    clusterId, namespace, service, port
  };
  const problem = serviceLocationProblem(location);

  if (problem) {
    throw new QuerierLocationError(problem);
  }

  return serviceProxyPath(location);
}

export function querierQueryUrl(location: QuerierLocation): string {
  const base = serviceProxyBase(
    location.clusterId, location.namespace ?? QUERIER.namespace, location.service ?? QUERIER.service, location.port ?? QUERIER.port
  );

  return `${ base }/${ QUERIER.queryPath }`;
}

/** Rancher rejects state-changing requests without the CSRF cookie echoed in `X-Api-Csrf`. */
export function csrfHeaders(cookieHeader: string | undefined): Record<string, string> {
  const match = /(?:^|;\s*)CSRF=([^;]*)/.exec(cookieHeader || '');

  return match && match[1] ? { 'X-Api-Csrf': decodeURIComponent(match[1]) } : {};
}

/** The form body: db, sql and (optionally) data_precision, URL-encoded. */
export function queryFormBody(query: PreparedQuery<ColumnSpecs>): string {
  const form = new URLSearchParams();

  form.set('db', query.db);
  form.set('sql', query.sql);
  if (query.dataPrecision) {
    form.set('data_precision', query.dataPrecision);
  }

  return form.toString();
}

type Interrupt = 'timeout' | 'aborted';

export function createQuerierClient(options: QuerierClientOptions): QuerierClient {
  const url = querierQueryUrl(options);
  const context = { namespace: options.namespace ?? QUERIER.namespace, service: options.service ?? QUERIER.service };

  async function run<S extends ColumnSpecs>(query: PreparedQuery<S>, runOptions: RunOptions = {}): Promise<QueryOutcome<RowOf<S>>> {
    const outer = runOptions.signal;

    if (outer?.aborted) {
      return { state: 'aborted' };
    }
    const controller = new AbortController();
    const timeoutMs = runOptions.timeoutMs ?? options.timeoutMs ?? QUERIER.timeoutMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onOuterAbort: (() => void) | undefined;

    // Resolves when the request must stop; raced against the transport so a transport that ignores
    // the signal cannot hold the page.
    const interrupted = new Promise<Interrupt>((resolve) => {
      timer = setTimeout(() => {
        resolve('timeout');
        controller.abort();
      }, timeoutMs);
      onOuterAbort = () => {
        resolve('aborted');
        controller.abort();
      };
      outer?.addEventListener('abort', onOuterAbort);
    });

    const exchange = (async() => {
      const response = await options.fetch(url, {
        method:      'POST',
        headers:     {
          Accept:         'application/json',
          'Content-Type': 'application/x-www-form-urlencoded',
          ...options.headers,
        },
        body:        queryFormBody(query),
        signal:      controller.signal,
        credentials: 'same-origin',
      });
      const text = await response.text();

      return { status: response.status, text };
    })();

    try {
      const result = await Promise.race([exchange, interrupted]);

      if (result === 'timeout') {
        return { state: 'querier-down', cause: 'timeout' };
      }
      if (result === 'aborted') {
        return { state: 'aborted' };
      }

      return interpretResponse(result.status, result.text, query.columns, context);
    } catch (err) {
      if (outer?.aborted) {
        return { state: 'aborted' };
      }
      const detail = plainText(err instanceof Error ? err.message : String(err), 500);

      return { state: 'querier-down', cause: 'network', detail };
    } finally {
      clearTimeout(timer);
      if (onOuterAbort) {
        outer?.removeEventListener('abort', onOuterAbort);
      }
      // A transport that settles after the race is lost must not surface as an unhandled rejection.
      exchange.catch(() => undefined);
    }
  }

  return { url, run };
}
