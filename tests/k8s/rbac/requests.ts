/**
 * Access requests to put to the API server for a ServiceAccount: every permission the security engine
 * says it has, and a fixed set of dangerous permissions a monitoring component must not have.
 */
import type { AccessRequest, EffectiveRule } from '@pkg/domain/security/rbac';
import { NonResourceAttributes, ResourceAttributes } from '../../../sandbox/kube/client';

/** A concrete path a nonResourceURLs entry covers (`/apis/*` -> `/apis/x`). */
function concretePath(url: string): string {
  return url.endsWith('*') ? `${ url.replace(/\*+$/, '') }x` : url;
}

/**
 * One request per verb x group x resource x name of each rule, in the rule's namespace; a cluster-wide rule
 * is asked both without a namespace and in `probeNamespace`. Wildcards are asked literally ('*' verb, group,
 * resource), which RBAC matches only by a wildcard rule.
 */
export function requestsFromRules(rules: readonly EffectiveRule[], probeNamespace: string): AccessRequest[] {
  const out: AccessRequest[] = [];

  for (const rule of rules) {
    for (const verb of rule.verbs) {
      for (const url of rule.nonResourceURLs) {
        out.push({ verb, nonResourceURL: concretePath(url) });
      }
      const namespaces = rule.namespace === undefined ? [undefined, probeNamespace] : [rule.namespace];

      for (const group of rule.apiGroups) {
        for (const combined of rule.resources) {
          const [resource, subresource] = combined.split('/');

          for (const name of rule.resourceNames.length ? rule.resourceNames : [undefined]) {
            for (const namespace of namespaces) {
              out.push({
                verb, group, resource, ...(subresource ? { subresource } : {}), ...(name ? { name } : {}), ...(namespace ? { namespace } : {})
              });
            }
          }
        }
      }
    }
  }

  return dedupe(out);
}

/**
 * Requests just outside what the rules grant: another namespace, another object name, a destructive verb.
 * They catch an engine that over-reads rules (namespace scope, resourceNames, verbs) where the requests
 * above only catch one that under-reads them.
 */
export function neighbourRequests(rules: readonly EffectiveRule[], otherNamespace: string): AccessRequest[] {
  return requestsFromRules(rules, otherNamespace).flatMap((r): AccessRequest[] => {
    if (typeof r.nonResourceURL === 'string') {
      return [{ verb: 'delete', nonResourceURL: r.nonResourceURL }];
    }

    return [
      { ...r, verb: 'delete' },
      { ...r, verb: 'deletecollection', name: undefined },
      ...(r.namespace ? [{ ...r, namespace: otherNamespace }] : []),
      ...(r.name ? [{ ...r, name: `${ r.name }-other` }] : []),
    ];
  });
}

/** Permissions that would let a compromised monitoring pod take over the cluster or read its secrets. */
export function dangerousRequests(ownNamespace: string): AccessRequest[] {
  return [
    { verb: 'list', group: '', resource: 'secrets' },
    { verb: 'get', group: '', resource: 'secrets', namespace: 'kube-system' },
    { verb: 'list', group: '', resource: 'secrets', namespace: ownNamespace },
    { verb: 'create', group: '', resource: 'pods', subresource: 'exec', namespace: ownNamespace },
    { verb: 'create', group: '', resource: 'pods', subresource: 'attach', namespace: 'kube-system' },
    { verb: 'create', group: '', resource: 'pods', namespace: 'kube-system' },
    { verb: 'get', group: '', resource: 'nodes', subresource: 'proxy' },
    { verb: 'create', group: '', resource: 'serviceaccounts', subresource: 'token', namespace: ownNamespace },
    { verb: 'escalate', group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
    { verb: 'bind', group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
    { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
    { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespace: ownNamespace },
    { verb: 'impersonate', group: '', resource: 'users' },
    { verb: 'impersonate', group: '', resource: 'groups' },
    { verb: 'impersonate', group: '', resource: 'serviceaccounts', namespace: 'kube-system' },
    { verb: '*', group: '*', resource: '*' },
    { verb: 'patch', group: 'apps', resource: 'daemonsets', namespace: ownNamespace },
    { verb: 'delete', group: '', resource: 'namespaces' },
    { verb: 'update', group: 'admissionregistration.k8s.io', resource: 'validatingwebhookconfigurations' },
    { verb: 'approve', group: 'certificates.k8s.io', resource: 'signers' },
    { verb: '*', nonResourceURL: '/metrics' },
  ];
}

/** Identifies a request regardless of how it was built (absent and empty fields are the same). */
export function requestKey(r: AccessRequest): string {
  return JSON.stringify([r.verb, r.group || '', r.resource || '', r.subresource || '', r.name || '', r.namespace || '', r.nonResourceURL ?? null]);
}

export function dedupe(requests: AccessRequest[]): AccessRequest[] {
  const seen = new Map<string, AccessRequest>();

  for (const r of requests) {
    if (!seen.has(requestKey(r))) {
      seen.set(requestKey(r), r);
    }
  }

  return [...seen.values()];
}

export function toAttributes(request: AccessRequest): ResourceAttributes | NonResourceAttributes {
  if (typeof request.nonResourceURL === 'string') {
    return { verb: request.verb, path: request.nonResourceURL };
  }

  return {
    verb:        request.verb,
    group:       request.group ?? '',
    resource:    request.resource ?? '',
    subresource: request.subresource,
    name:        request.name,
    namespace:   request.namespace,
  };
}

export function describeRequest(r: AccessRequest): string {
  if (typeof r.nonResourceURL === 'string') {
    return `${ r.verb } ${ r.nonResourceURL }`;
  }
  const resource = `${ r.resource }${ r.subresource ? `/${ r.subresource }` : '' }${ r.group ? `.${ r.group }` : '' }`;

  return `${ r.verb } ${ resource }${ r.name ? ` ${ r.name }` : '' } ${ r.namespace ? `in ${ r.namespace }` : 'cluster-wide' }`;
}
