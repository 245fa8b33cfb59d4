/**
 * DeepFlow's agent list with each agent's state and exception bits, read through the chart's read-only
 * agent-state proxy (an nginx sidecar in the hnm-server pod that forwards only `GET /v1/vtaps/` to the
 * controller API; chart README "Agent state and exceptions"), over the Kubernetes API server's service proxy.
 * The answer is parsed defensively: anything of the wrong shape is skipped, strings stay plain data.
 */
import { QUERIER } from '../flows/query/constants';
import { plainText } from '../flows/query/response';
import { arr, isRecord, str } from '../guards';
import { serviceLocationProblem, serviceProxyPath } from '../stack/urls';
import { displayText } from '../text';

/** The proxy as the chart deploys it (templates/server/deployment.yaml, service.yaml: port `agent-state`). */
export const AGENT_STATE_PROXY = {
  namespace:      QUERIER.namespace,
  service:        QUERIER.service,
  port:           20419,
  portName:       'agent-state',
  /** The controller API the proxy forwards to, on 127.0.0.1 (never admitted to API-server-proxied traffic). */
  controllerPort: 20417,
  /** DeepFlow v7.1.8 server/controller/http/router/vtap.go: `e.GET("/v1/vtaps/", v.getVtaps())`. */
  path:           '/v1/vtaps/',
  timeoutMs:      15_000,
  /** A GET through the service proxy is authorized as `get services/proxy` (k8s.io/apiserver requestinfo.go). */
  permission:     { verb: 'get', resource: 'services/proxy' },
} as const;

/** More agents than this are not read (a Harvester cluster has at most a few dozen nodes). */
export const MAX_CONTROLLER_AGENTS = 5000;

/** One agent of the controller's list (model.Vtap, server/controller/model/model.go, v7.1.8), the fields used here. */
export interface ControllerAgent {
  /** `ID` */
  id: number;
  /** `NAME`: `<node>-P<pod node id>` for an agent on a Kubernetes node; raw, only compared and shown as text. */
  name: string;
  /** `STATE`: see DEEPFLOW_AGENT_STATES. */
  state: number;
  /** `EXCEPTIONS`: one value (a power of two) per set bit, lowest first. */
  exceptions: number[];
  /** `CTRL_IP`, `LAUNCH_SERVER`: shown as text only. */
  ctrlIp: string;
  launchServer: string;
}

export type ControllerUnknownReason =
  | 'forbidden' | 'not-found' | 'proxy-missing' | 'unreachable' | 'controller-down' | 'server-error'
  | 'bad-response' | 'timeout' | 'network' | 'location';

export type ControllerAgents =
  | { state: 'ok'; agents: ControllerAgent[] }
  | { state: 'loading' }
  | { state: 'unknown'; reason: ControllerUnknownReason; status?: number; detail?: string };

/** `<prefix>/api/v1/namespaces/<ns>/services/http:hnm-server:20419/proxy/v1/vtaps/`, or null for an unusable cluster id. */
export function agentStateUrl(clusterId: string): string | null {
  const location = {
    clusterId, namespace: AGENT_STATE_PROXY.namespace, service: AGENT_STATE_PROXY.service, port: AGENT_STATE_PROXY.port
  };

  return serviceLocationProblem(location) ? null : `${ serviceProxyPath(location) }${ AGENT_STATE_PROXY.path }`;
}

/** The bits of a non-negative integer as powers of two, lowest first (up to 2^52, the exact range of a number). */
export function exceptionBits(value: number): number[] {
  const out: number[] = [];

  if (!Number.isSafeInteger(value) || value <= 0) {
    return out;
  }
  let rest = value;

  for (let bit = 1; rest > 0 && bit <= Number.MAX_SAFE_INTEGER; bit *= 2) {
    if (rest % (bit * 2) !== 0) {
      out.push(bit);
      rest -= bit;
    }
  }

  return out;
}

const integer = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);

function parseAgent(raw: unknown): ControllerAgent | null {
  if (!isRecord(raw)) {
    return null;
  }
  const name = str(raw.NAME);
  const id = integer(raw.ID);
  const state = integer(raw.STATE);

  if (!name || id === undefined || state === undefined) {
    return null;
  }
  // The controller lists each set bit as its own value; anything else is split into bits rather than trusted.
  const bits = new Set(arr<unknown>(raw.EXCEPTIONS).flatMap((v) => exceptionBits(integer(v) ?? 0)));

  return {
    id,
    name,
    state,
    exceptions:   [...bits].sort((a, b) => a - b),
    ctrlIp:       displayText(raw.CTRL_IP, 64),
    launchServer: displayText(raw.LAUNCH_SERVER, 64),
  };
}

/**
 * The controller's answer: `{OPT_STATUS: "SUCCESS", DESCRIPTION: "", DATA: [model.Vtap...] | null}`
 * (server/controller/http/common/response/response.go RawResponse; DATA is null when no agent is listed).
 */
export function parseControllerAgents(text: string): ControllerAgents {
  let body: unknown;

  try {
    body = JSON.parse(text);
  } catch {
    return { state: 'unknown', reason: 'bad-response', detail: displayText(plainText(text), 200) };
  }
  if (!isRecord(body) || body.OPT_STATUS !== 'SUCCESS') {
    const detail = isRecord(body) ? str(body.DESCRIPTION) || str(body.OPT_STATUS) || '' : '';

    return { state: 'unknown', reason: 'bad-response', detail: displayText(detail, 200) };
  }
  if (body.DATA !== null && body.DATA !== undefined && !Array.isArray(body.DATA)) {
    return { state: 'unknown', reason: 'bad-response', detail: 'DATA' };
  }
  const agents = arr<unknown>(body.DATA).slice(0, MAX_CONTROLLER_AGENTS).map(parseAgent).filter((a): a is ControllerAgent => !!a);

  return { state: 'ok', agents };
}

/** A Kubernetes Status message (the API server's own errors) or the body, as short plain text. */
function messageOf(text: string): string {
  try {
    const body = JSON.parse(text);

    if (isRecord(body) && typeof body.message === 'string') {
      return displayText(body.message, 200);
    }
  } catch {
    // not JSON
  }

  return displayText(plainText(text), 200);
}

/**
 * What an HTTP answer means. The API server answers 503 "no service port 20419 found for service" when the
 * Service lacks the port (kubernetes pkg/registry/core/service/storage ResourceLocation: an older chart, or
 * server.agentStateProxy.enabled=false), 503 otherwise when it cannot reach the pod (no endpoints, a
 * NetworkPolicy); nginx answers 502/504 when the controller behind it is down or slow.
 */
export function interpretControllerAnswer(status: number, text: string): ControllerAgents {
  if (status === 200) {
    return parseControllerAgents(text);
  }
  const detail = messageOf(text);
  const unknown = (reason: ControllerUnknownReason): ControllerAgents => ({
    state: 'unknown', reason, status, detail
  });

  if (status === 401 || status === 403) {
    return unknown('forbidden');
  }
  if (status === 404) {
    return unknown('not-found');
  }
  if (status === 503) {
    return unknown(/no service port/i.test(detail) ? 'proxy-missing' : 'unreachable');
  }
  if (status === 502 || status === 504) {
    return unknown('controller-down');
  }

  return unknown(status >= 500 ? 'server-error' : 'bad-response');
}

export type ControllerFetch = (url: string, init: {
  method: 'GET'; headers: Record<string, string>; signal: AbortSignal; credentials: 'same-origin'
}) => Promise<{ status: number; text(): Promise<string> }>;

/** Reads the list; never rejects. An aborted read resolves 'loading' (a newer read replaces it). */
export async function loadControllerAgents(
  fetchFn: ControllerFetch, clusterId: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}
): Promise<ControllerAgents> {
  const url = agentStateUrl(clusterId);

  if (!url) {
    return { state: 'unknown', reason: 'location' };
  }
  const controller = new AbortController();
  const abort = () => controller.abort();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs ?? AGENT_STATE_PROXY.timeoutMs);

  options.signal?.addEventListener('abort', abort);
  try {
    const res = await fetchFn(url, {
      method: 'GET', headers: { Accept: 'application/json' }, signal: controller.signal, credentials: 'same-origin'
    });

    return interpretControllerAnswer(res.status, await res.text());
  } catch (err) {
    if (options.signal?.aborted) {
      return { state: 'loading' };
    }

    return timedOut ? { state: 'unknown', reason: 'timeout' } : { state: 'unknown', reason: 'network', detail: displayText(String((err as Error)?.message || err), 200) };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', abort);
  }
}
