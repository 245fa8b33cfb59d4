import { STACK } from '../stack/constants';
import { isRecord } from '../guards';

/** A permission the install needs, asked of the API server with a SelfSubjectAccessReview. */
export interface Permission {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
  /** Only needed for this install source ('repo': Addon, 'bundled': HelmChart); always when unset. */
  source?: 'repo' | 'bundled';
}

export interface AccessResult extends Permission {
  allowed: boolean;
  /** Set when the review itself could not be made (the answer is unknown, not "denied"). */
  error?: string;
}

/**
 * What a user needs to install through a Harvester Addon: Harvester's controller runs Helm with its
 * own service account, so the user only creates the namespace and the Addon, and later edits it.
 */
export const INSTALL_PERMISSIONS: Permission[] = [
  { verb: 'create', group: '', resource: 'namespaces' },
  {
    verb: 'create', group: 'harvesterhci.io', resource: 'addons', namespace: STACK.stackNamespace, source: 'repo'
  },
  {
    verb: 'update', group: 'harvesterhci.io', resource: 'addons', namespace: STACK.stackNamespace, source: 'repo'
  },
  {
    verb: 'create', group: 'helm.cattle.io', resource: 'helmcharts', namespace: STACK.stackNamespace, source: 'bundled'
  },
];

export const SSAR_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

export function accessReviewBody(p: Permission) {
  return {
    apiVersion: 'authorization.k8s.io/v1',
    kind:       'SelfSubjectAccessReview',
    spec:       {
      resourceAttributes: {
        verb: p.verb, group: p.group, resource: p.resource, ...(p.namespace ? { namespace: p.namespace } : {})
      }
    },
  };
}

export function parseAccessReview(p: Permission, response: unknown): AccessResult {
  const status = isRecord(response) && isRecord(response.status) ? response.status : undefined;

  if (!status || typeof status.allowed !== 'boolean') {
    return { ...p, allowed: false, error: 'unexpected response' };
  }

  return { ...p, allowed: status.allowed };
}

/** "create addons.harvesterhci.io in namespace x" style text for messages. */
export function describePermission(p: Permission): string {
  const resource = p.group ? `${ p.resource }.${ p.group }` : p.resource;

  return `${ p.verb } ${ resource }${ p.namespace ? ` (namespace ${ p.namespace })` : '' }`;
}
