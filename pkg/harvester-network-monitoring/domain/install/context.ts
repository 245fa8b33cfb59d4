import { TYPES } from '../stack/constants';
import { StoreLike } from '../stack/load';
import { kubeApi } from '../stack/urls';
import { KubeObject, asString, isObject, nameOf } from '../stack/k8s';
import {
  INSTALL_PERMISSIONS, SSAR_PATH, AccessResult, accessReviewBody, parseAccessReview, errorText
} from './access';

const IN_STORE = 'harvester';
const SETTING_TYPE = 'harvesterhci.io.setting';
const INGRESS_CLASS_TYPE = 'networking.k8s.io.ingressclass';

/** What the wizard reads from the cluster before it can check prerequisites and offer choices. */
export interface InstallContext {
  nodes: KubeObject[];
  storageClasses: KubeObject[];
  ingressClasses: string[];
  harvesterVersion?: string;
  access: AccessResult[];
  /** Resources that could not be read, with the reason; the wizard still works with what it has. */
  problems: { type: string; detail: string }[];
}

async function listOrProblem(store: StoreLike, type: string, problems: InstallContext['problems']): Promise<KubeObject[]> {
  try {
    const items = await store.dispatch(`${ IN_STORE }/findAll`, { type });

    return (Array.isArray(items) ? items : []).filter(isObject) as KubeObject[];
  } catch (err) {
    problems.push({ type, detail: errorText(err) });

    return [];
  }
}

async function harvesterVersion(store: StoreLike): Promise<string | undefined> {
  try {
    const setting = await store.dispatch(`${ IN_STORE }/find`, { type: SETTING_TYPE, id: 'server-version' });

    return isObject(setting) ? asString(setting.value) : undefined;
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
      return { ...permission, allowed: false, error: errorText(err) };
    }
  }));
}

export async function loadInstallContext(store: StoreLike, clusterId: string): Promise<InstallContext> {
  const problems: InstallContext['problems'] = [];
  const [nodes, storageClasses, ingressClasses, version, access] = await Promise.all([
    listOrProblem(store, TYPES.node, problems),
    listOrProblem(store, TYPES.storageClass, problems),
    listOrProblem(store, INGRESS_CLASS_TYPE, problems),
    harvesterVersion(store),
    reviewAccess(store, clusterId),
  ]);

  return {
    nodes, storageClasses, ingressClasses: ingressClasses.map(nameOf).filter(Boolean), harvesterVersion: version, access, problems
  };
}
