import bundle from '../../generated/chart-bundle.json';
import { STACK } from './constants';

/** The chart bundled into this build of the extension (scripts/bundle-chart.js). */
export const BUNDLED_CHART = { name: bundle.name, version: bundle.version };

/**
 * For air-gapped clusters: a HelmChart for the helm-controller that RKE2 (and so Harvester) runs,
 * carrying the bundled chart itself (`chartContent`), so no Helm repository has to be reachable.
 * It installs the same release as the Addon would, into the stack namespace.
 */
export function buildBundledHelmChart(valuesContent: string) {
  return {
    apiVersion: 'helm.cattle.io/v1',
    kind:       'HelmChart',
    metadata:   {
      name:      STACK.addonName,
      namespace: STACK.stackNamespace,
      labels:    { [STACK.partOfLabel]: STACK.partOfValue },
    },
    spec: {
      chartContent:    bundle.tgzBase64,
      targetNamespace: STACK.stackNamespace,
      valuesContent,
    },
  };
}
