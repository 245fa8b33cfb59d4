/**
 * The API requests that apply proposed policies: first a server-side dry run of every object
 * (`POST .../networkpolicies?dryRun=All`: validation and admission run, nothing is stored), and
 * only when all pass, the same requests without dryRun. The page sends them through the store
 * (`<store>/request`); nothing here talks to the cluster. Errors come back as Kubernetes Status
 * objects, read by serverRejection.
 */
import { isRecord } from '../guards';
import { nameProblem } from '../flows/query/sql';
import { ApiErrorKind, classifyApiError } from '../stack/errors';
import { kubeApi } from '../stack/urls';

/** The field manager the API server records for these objects (managedFields). */
export const FIELD_MANAGER = 'harvester-network-monitoring';

export interface KubeRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  data: Record<string, unknown>;
}

export type RequestProblem = 'namespace' | 'name' | 'kind';

export type PolicyRequest = { ok: true; request: KubeRequest } | { ok: false; problem: RequestProblem };

/** The create request for one NetworkPolicy object, as a dry run or for real. */
export function createPolicyRequest(clusterId: string, policy: Record<string, unknown>, dryRun: boolean): PolicyRequest {
  const meta = isRecord(policy.metadata) ? policy.metadata : {};

  if (policy.apiVersion !== 'networking.k8s.io/v1' || policy.kind !== 'NetworkPolicy') {
    return { ok: false, problem: 'kind' };
  }
  if (nameProblem(meta.namespace, 'namespace') === 'not-a-name') {
    return { ok: false, problem: 'namespace' };
  }
  if (nameProblem(meta.name, 'pod') === 'not-a-name') {
    return { ok: false, problem: 'name' };
  }
  const query = `fieldManager=${ FIELD_MANAGER }${ dryRun ? '&dryRun=All' : '' }`;

  return {
    ok:      true,
    request: {
      url:     kubeApi(clusterId, `/apis/networking.k8s.io/v1/namespaces/${ meta.namespace as string }/networkpolicies?${ query }`),
      method:  'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      data:    policy,
    },
  };
}

export type ApplyPlan =
  | { ok: true; dryRun: KubeRequest[]; create: KubeRequest[] }
  | { ok: false; problems: { index: number; problem: RequestProblem }[] };

/** Dry-run requests for every policy, then the create requests, in the same order. */
export function applyPlan(clusterId: string, policies: readonly Record<string, unknown>[]): ApplyPlan {
  const dry = policies.map((p) => createPolicyRequest(clusterId, p, true));
  const problems = dry.flatMap((r, index) => (r.ok ? [] : [{ index, problem: r.problem }]));

  if (problems.length) {
    return { ok: false, problems };
  }

  return {
    ok:     true,
    dryRun: dry.map((r) => (r as { request: KubeRequest }).request),
    create: policies.map((p) => (createPolicyRequest(clusterId, p, false) as { request: KubeRequest }).request),
  };
}

export interface ServerRejection {
  kind: ApiErrorKind;
  status?: number;
  /** Status.reason: Invalid, AlreadyExists, Forbidden, ... ('' when the answer was not a Status). */
  reason: string;
  /** The API server's message, shown as plain text. */
  message: string;
  /** Field errors of an Invalid answer (Status.details.causes). */
  causes: { field: string; message: string }[];
}

const MAX_CAUSES = 50;

/** What the API server said when it refused a request, from the shapes the shell store rejects with. */
export function serverRejection(err: unknown): ServerRejection {
  const api = classifyApiError(err);
  const candidates = isRecord(err) ? [err, err.data, isRecord(err.response) ? err.response.data : undefined] : [];
  const status = candidates.find((c) => isRecord(c) && (c.kind === 'Status' || isRecord(c.details) || typeof c.reason === 'string'));
  const body = isRecord(status) ? status : {};
  const details = isRecord(body.details) ? body.details : {};
  const causes = (Array.isArray(details.causes) ? details.causes : []).filter(isRecord).slice(0, MAX_CAUSES).map((c) => ({
    field: typeof c.field === 'string' ? c.field.slice(0, 300) : '', message: typeof c.message === 'string' ? c.message.slice(0, 500) : '',
  }));

  return {
    kind:    api.kind,
    ...(api.status !== undefined ? { status: api.status } : {}),
    reason:  typeof body.reason === 'string' ? body.reason : '',
    message: (typeof body.message === 'string' ? body.message.slice(0, 500) : '') || api.detail,
    causes,
  };
}
