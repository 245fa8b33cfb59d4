import { uniqueSorted } from '../guards';
import { AccessRequest, PolicyRule, ruleAllows } from './rbac';
import { ServiceTarget, proxyNameReaches } from './flow-readers-targets';

/**
 * Which ways to the flow data one RBAC rule opens in the stack's namespace. Every answer is an
 * authorizer question (ruleAllows in rbac.ts, which evaluates wildcards, resourceNames and
 * subresources as the RBAC authorizer does), so a rule counts exactly when a SubjectAccessReview for
 * the same request would be allowed by it.
 */
export type FlowPathKind = 'everything' | 'serviceProxy' | 'podProxy' | 'podExec' | 'podPortForward' | 'secrets' | 'createWorkloads';

export interface RulePath {
  kind: FlowPathKind;
  /** The Service (serviceProxy); '' otherwise. */
  target: string;
  /** The resource names the rule is limited to that reach the target; [] = every object of the kind. */
  names: string[];
  /** The verbs of the rule that matter for this path. */
  verbs: string[];
  /** createWorkloads: the kinds (resource plurals) it may create. */
  resources: string[];
}

export interface RuleContext {
  namespace: string;
  services: ServiceTarget[];
  /** Secrets holding the stack's credentials (a rule limited to other Secrets is no way in). */
  secrets: string[];
  /** The verbs that open pods/exec and pods/portforward on this Kubernetes version (see execVerbs). */
  execVerbs: string[];
}

/**
 * Verbs that open pods/exec, pods/attach and pods/portforward. Up to Kubernetes 1.34 the verb is the HTTP
 * method's: SPDY clients POST (create), WebSocket clients (kubectl's default since KEP-4006, 1.31) send a
 * GET upgrade (get), so either verb is enough (kubernetes v1.34.3 has no other check:
 * k8s.io/apiserver v0.34.3 pkg/endpoints/request/requestinfo.go; kubernetes/kubernetes#78741). Kubernetes
 * 1.35 adds a second check for create on WebSocket upgrades (feature gate
 * AuthorizePodWebsocketUpgradeCreatePermission, beta and on: kubernetes/kubernetes#134577), so there only
 * create opens them.
 */
export function execVerbs(kubernetesMinor: number): string[] {
  return kubernetesMinor >= 35 ? ['create'] : ['get', 'create'];
}

/**
 * Verbs that read through a proxy. The proxied HTTP method becomes the verb (GET -> get, POST ->
 * create): the querier answers PromQL on GET /prom/api/v1/query and SQL on POST /v1/query/
 * (deepflow v7.1.8 server/querier/app/prometheus/router/router.go, server/querier/router/query.go);
 * Grafana serves its pages on GET and panel data on POST /api/ds/query (grafana pkg/api/api.go).
 */
export const PROXY_VERBS = ['get', 'create'];
const SECRET_VERBS = ['get', 'list', 'watch'];

/** Workload kinds whose creation runs a pod in the namespace, which can mount its Secrets. */
export const WORKLOAD_RESOURCES: { group: string; resource: string }[] = [
  { group: '', resource: 'pods' },
  { group: '', resource: 'replicationcontrollers' },
  { group: 'apps', resource: 'deployments' },
  { group: 'apps', resource: 'replicasets' },
  { group: 'apps', resource: 'statefulsets' },
  { group: 'apps', resource: 'daemonsets' },
  { group: 'batch', resource: 'jobs' },
  { group: 'batch', resource: 'cronjobs' },
];

function grantsEverything(rule: PolicyRule): boolean {
  return rule.verbs.includes('*') && rule.apiGroups.includes('*') && rule.resources.includes('*') && rule.resourceNames.length === 0;
}

function path(kind: FlowPathKind, verbs: string[], names: string[] = [], target = '', resources: string[] = []): RulePath {
  return {
    kind, target, names: uniqueSorted(names), verbs: uniqueSorted(verbs), resources
  };
}

/**
 * The verbs (of `verbs`) the rule allows on a subresource, and the resource names that allow them.
 * A rule without resourceNames allows any name; `candidates` are the names that would be useful.
 */
function allowed(rule: PolicyRule, ctx: RuleContext, request: Omit<AccessRequest, 'verb' | 'name' | 'namespace'>, verbs: string[], candidates: (names: string[]) => string[]) {
  const names = rule.resourceNames.length ? candidates(rule.resourceNames) : ['*'];
  const granted = verbs.filter((verb) => names.some((name) => ruleAllows(rule, {
    ...request, verb, namespace: ctx.namespace, name
  })));
  const grantingNames = rule.resourceNames.length ? names.filter((name) => granted.some((verb) => ruleAllows(rule, {
    ...request, verb, namespace: ctx.namespace, name
  }))) : [];

  return { verbs: granted, names: grantingNames };
}

const all = (names: string[]) => names;

export function rulePaths(rule: PolicyRule, ctx: RuleContext): RulePath[] {
  if (grantsEverything(rule)) {
    return [path('everything', ['*'])];
  }
  const out: RulePath[] = [];

  for (const t of ctx.services) {
    const a = allowed(rule, ctx, { group: '', resource: 'services', subresource: 'proxy' }, PROXY_VERBS,
      (names) => names.filter((n) => proxyNameReaches(n, t)));

    if (a.verbs.length) {
      out.push(path('serviceProxy', a.verbs, a.names, t.service));
    }
  }
  const pods = (subresource: string, verbs: string[]) => allowed(rule, ctx, { group: '', resource: 'pods', subresource }, verbs, all);
  const proxy = pods('proxy', PROXY_VERBS);

  if (proxy.verbs.length) {
    out.push(path('podProxy', proxy.verbs, proxy.names));
  }
  const exec = pods('exec', ctx.execVerbs);

  if (exec.verbs.length) {
    out.push(path('podExec', exec.verbs, exec.names));
  }
  const forward = pods('portforward', ctx.execVerbs);

  if (forward.verbs.length) {
    out.push(path('podPortForward', forward.verbs, forward.names));
  }
  const secrets = allowed(rule, ctx, { group: '', resource: 'secrets' }, SECRET_VERBS, (names) => names.filter((n) => ctx.secrets.includes(n)));

  if (secrets.verbs.length) {
    out.push(path('secrets', secrets.verbs, secrets.names));
  }
  // A create request carries no name, so a rule limited by resourceNames never allows it (as in the authorizer).
  const creatable = WORKLOAD_RESOURCES.filter(({ group, resource }) => ruleAllows(rule, {
    verb: 'create', group, resource, namespace: ctx.namespace
  }));

  if (creatable.length) {
    out.push(path('createWorkloads', ['create'], [], '', creatable.map((w) => w.resource)));
  }

  return out;
}
