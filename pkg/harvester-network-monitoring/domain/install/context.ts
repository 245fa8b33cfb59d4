import { TYPES } from '../stack/constants';
import { LoadProblem, StoreLike, listTypes } from '../stack/load';
import { kubeApi } from '../stack/urls';
import { KubeObject, nameOf } from '../stack/k8s';
import { isRecord, str } from '../guards';
import {
  INSTALL_PERMISSIONS, SSAR_PATH, AccessResult, accessReviewBody, parseAccessReview
} from './access';
import { classifyApiError } from '../stack/errors';

const IN_STORE = 'harvester';

/** What the wizard reads from the cluster before it can check prerequisites and offer choices. */
export interface InstallContext {
  nodes: KubeObject[];
  storageClasses: KubeObject[];
  ingressClasses: string[];
  /** KubeVirt VirtualMachines, for the storage estimate; undefined when they could not be read. */
  vmCount?: number;
  harvesterVersion?: string;
  access: AccessResult[];
  /** Resources that could not be read, with the reason; the wizard still works with what it has. */
  problems: LoadProblem[];
}

async function harvesterVersion(store: StoreLike): Promise<string | undefined> {
  try {
    const setting = await store.dispatch(`${ IN_STORE }/find`, { type: TYPES.harvesterSetting, id: 'server-version' });

    return isRecord(setting) ? str(setting.value) : undefined;
  } catch {
    return undefined; // reported as "unknown version" by the prerequisite, not as an error
  }
}

/** Asks the API server, for each permission the install needs, whether this user has it. */
export async function reviewAccess(store: StoreLike, clusterId: string): Promise<AccessResult[]> {
  return Promise.all(INSTALL_PERMISSIONS.map(async(permission) => {
    try {
      const response = await store.dispatch(`${ IN_STORE }/request`, {
        url: kubeApi(clusterId, SSAR_PATH), method: 'POST', data: accessReviewBody(permission)
      });

      return parseAccessReview(permission, response);
    } catch (err) {
      return { ...permission, allowed: false, error: classifyApiError(err).detail || String(err) };
    }
  }));
}

export async function loadInstallContext(store: StoreLike, clusterId: string): Promise<InstallContext> {
  const [{ lists, problems }, version, access] = await Promise.all([
    listTypes(store, IN_STORE, [{ type: TYPES.node }, { type: TYPES.storageClass }, { type: TYPES.ingressClass },
      // Only for the storage estimate, which asks for a count when VMs cannot be listed.
      { type: TYPES.vm, optional: true }]),
    harvesterVersion(store),
    reviewAccess(store, clusterId),
  ]);
  const objects = (type: string) => (lists.get(type) || []).filter(isRecord) as KubeObject[];

  return {
    nodes:            objects(TYPES.node),
    storageClasses:   objects(TYPES.storageClass),
    ingressClasses:   objects(TYPES.ingressClass).map(nameOf).filter(Boolean),
    vmCount:          lists.has(TYPES.vm) ? objects(TYPES.vm).length : undefined,
    harvesterVersion: version,
    access,
    problems,
  };
}
