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

/** Where each next action takes the user. */
export function actionLocation(action: NextAction, cluster: string): Location {
  switch (action) {
  case 'install':
    return pageLocation('install', cluster);
  case 'troubleshoot':
    return addonDetail(cluster);
  case 'open-security-review':
    return pageLocation('securityReview', cluster);
  case 'open-flows':
    return pageLocation('flows', cluster);
  case 'open-grafana':
    return pageLocation('grafana', cluster);
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
