import { NextAction } from '../domain/stack/status';
import { PRODUCT, STACK, TYPES } from '../domain/stack/constants';
import { pageLocation } from '../config/pages';

export interface Location {
  name: string;
  params: Record<string, string>;
  query?: Record<string, string>;
}

function addonDetail(cluster: string): Location {
  return {
    name:   `${ PRODUCT }-c-cluster-resource-namespace-id`,
    params: {
      product: PRODUCT, cluster, resource: TYPES.addon, namespace: STACK.stackNamespace, id: STACK.addonName
    },
  };
}

/**
 * Where each next action takes the user. Actions whose page is not part of this build return
 * undefined and are not offered.
 */
export function actionLocation(action: NextAction, cluster: string): Location | undefined {
  switch (action) {
  case 'install':
    return pageLocation('install', cluster);
  case 'troubleshoot':
    return addonDetail(cluster);
  case 'open-security-review':
    return pageLocation('securityReview', cluster);
  default:
    return undefined;
  }
}

export function vmLocation(cluster: string, namespace: string, name: string): Location {
  return {
    name:   `${ PRODUCT }-c-cluster-resource-namespace-id`,
    params: {
      product: PRODUCT, cluster, resource: TYPES.vm, namespace, id: name
    },
  };
}
