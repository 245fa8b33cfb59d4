/**
 * What the Grafana frame should show, decided from what is known about the stack and from two
 * probes through the service proxy (Grafana's /api/health, then the dashboard's API), plus the
 * retry schedule for states that may clear on their own.
 *
 * Probe results distinguish the API server proxy's own answers from Grafana's: the proxy answers
 * 401/403 for missing RBAC (`get`, and `create` for POST, on `services/proxy`), 404 when the Service does not exist and 503
 * "no endpoints available" while no Grafana pod is ready; a NetworkPolicy that drops the API
 * server's traffic shows up as a dial timeout (502/503/504 "i/o timeout"), because proxied requests
 * come from the node's address, not from a pod (see REFERENCE, known seed errors).
 */

export interface ProbeResult {
  /** HTTP status; 0 when the request failed without one (network error, timeout). */
  status: number;
  /** Response text or error message; only inspected for the proxy's well-known phrases. */
  message?: string;
  /** The probe gave up waiting (the page's own timeout), as opposed to an answer or a network error. */
  timedOut?: boolean;
}

export interface FrameInputs {
  /** The monitoring stack is installed (from the stack status). */
  stackInstalled: boolean;
  /** Grafana's pods are ready; undefined when unknown (e.g. the user may not list pods). */
  grafanaReady?: boolean;
  /** Result of GET grafanaHealthUrl(); undefined while not probed yet. */
  health?: ProbeResult;
  /** Result of GET dashboardExistsUrl(); undefined while not probed yet. */
  dashboard?: ProbeResult;
}

export type UnreachableCause = 'network-policy' | 'rbac-forbidden' | 'grafana-auth' | 'unknown';

/** Each state maps to networkMonitoring.grafana.states.<state> (and .causes.<cause>). */
export type FrameState =
  | { state: 'not-installed' }
  | { state: 'starting' }
  | { state: 'checking' }
  | { state: 'unreachable'; cause: UnreachableCause; status: number }
  | { state: 'dashboard-missing' }
  | { state: 'ready' };

const NO_ENDPOINTS = /no endpoints available/i;
const DIAL_FAILURE = /i\/o timeout|context deadline exceeded|dial tcp|no route to host|connection timed out/i;
const REFUSED = /connection refused/i;

function proxyFailure(probe: ProbeResult, grafanaReady: boolean | undefined): FrameState | null {
  const { status } = probe;
  const message = probe.message ?? '';

  if (status === 401 || status === 403) {
    return { state: 'unreachable', cause: 'rbac-forbidden', status };
  }
  if (status === 404) {
    return { state: 'not-installed' };
  }
  if (status === 0 || status === 502 || status === 503 || status === 504) {
    if (NO_ENDPOINTS.test(message) || grafanaReady === false || (REFUSED.test(message) && grafanaReady !== true)) {
      return { state: 'starting' };
    }
    if (DIAL_FAILURE.test(message) || (grafanaReady === true && (status !== 0 || probe.timedOut))) {
      // Grafana is ready, yet the API server cannot reach it: almost always a NetworkPolicy.
      return { state: 'unreachable', cause: 'network-policy', status };
    }

    return { state: 'unreachable', cause: 'unknown', status };
  }

  return null;
}

/** The frame state for the current inputs. */
export function frameState(inputs: FrameInputs): FrameState {
  if (!inputs.stackInstalled) {
    return { state: 'not-installed' };
  }
  if (inputs.grafanaReady === false && !(inputs.health && inputs.health.status >= 200 && inputs.health.status < 300)) {
    return { state: 'starting' };
  }
  if (!inputs.health) {
    return { state: 'checking' };
  }
  const healthFailure = proxyFailure(inputs.health, inputs.grafanaReady);

  if (healthFailure) {
    return healthFailure;
  }
  if (inputs.health.status < 200 || inputs.health.status >= 300) {
    return { state: 'unreachable', cause: 'unknown', status: inputs.health.status };
  }
  if (!inputs.dashboard) {
    return { state: 'checking' };
  }
  const { status } = inputs.dashboard;

  if (status >= 200 && status < 300) {
    return { state: 'ready' };
  }
  if (status === 404) {
    return { state: 'dashboard-missing' };
  }
  if (status === 401 || status === 403) {
    // The proxy let the health probe through, so this is Grafana refusing anonymous viewers.
    return { state: 'unreachable', cause: 'grafana-auth', status };
  }

  return proxyFailure(inputs.dashboard, inputs.grafanaReady) ?? { state: 'unreachable', cause: 'unknown', status };
}

/** States worth probing again: they usually clear (pods start, dashboards get provisioned, policies get fixed). */
export function shouldRetry(state: FrameState): boolean {
  return state.state === 'starting' || state.state === 'checking' || state.state === 'unreachable' || state.state === 'dashboard-missing';
}

export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  factor?: number;
  /**
   * Returns a number in [0, 1): the delay is spread over [delay/2, delay] ("equal jitter").
   * Omit for exact delays; pass Math.random in the page and a fixed function in tests.
   */
  random?: () => number;
}

/** Delay before retry number `attempt` (0-based): 1s, 2s, 4s, ... capped at 30s by default. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 30_000;
  const factor = options.factor ?? 2;
  const n = Number.isFinite(attempt) && attempt > 0 ? Math.floor(attempt) : 0;
  // Math.min before the power grows past the cap avoids Infinity for large attempts.
  const delay = Math.min(max, base * Math.pow(factor, Math.min(n, 64)));

  if (!options.random) {
    return delay;
  }
  const r = Math.min(Math.max(options.random(), 0), 1);

  return Math.round(delay / 2 + (delay / 2) * r);
}

export interface RetrySchedule {
  /** The next delay in ms, advancing the attempt counter. */
  next(): number;
  /** Start over (after a success, or when the user retries by hand). */
  reset(): void;
  readonly attempt: number;
}

export function createRetrySchedule(options: BackoffOptions = {}): RetrySchedule {
  let attempt = 0;

  return {
    next() {
      return backoffDelay(attempt++, options);
    },
    reset() {
      attempt = 0;
    },
    get attempt() {
      return attempt;
    },
  };
}
