import { ProbeResult } from './state';

type FetchLike = (url: string, init?: { signal?: AbortSignal; credentials?: 'same-origin'; headers?: Record<string, string> }) => Promise<{ status: number; text(): Promise<string> }>;

export const PROBE_TIMEOUT_MS = 10000;

/**
 * GETs a Grafana URL through the API server's service proxy and reports only what the frame state
 * needs: the status, a short message, and whether it timed out. It never throws.
 */
export async function probe(fetchFn: FetchLike, url: string, signal?: AbortSignal, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const abort = () => controller.abort();

  signal?.addEventListener('abort', abort);
  try {
    const res = await fetchFn(url, { signal: controller.signal, credentials: 'same-origin', headers: { Accept: 'application/json' } });
    const text = await res.text().catch(() => '');

    return { status: res.status, message: text.slice(0, 300) };
  } catch (err) {
    const timedOut = controller.signal.aborted && !signal?.aborted;

    return { status: 0, message: String((err as Error)?.message || err).slice(0, 300), timedOut };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  }
}

/** Dashboard variables from route query parameters `var-<name>` (repeated keys give several values). */
export function varsFromQuery(query: Record<string, unknown>): Record<string, string | string[]> {
  const vars: Record<string, string | string[]> = {};

  Object.entries(query || {}).forEach(([key, value]) => {
    if (!key.startsWith('var-') || key.length <= 4) {
      return;
    }
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');

    if (values.length) {
      vars[key.slice(4)] = values.length === 1 ? values[0] : values;
    }
  });

  return vars;
}
