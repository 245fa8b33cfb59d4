import { NODE } from '@shell/config/types';
import HarvesterStandinResource from '../harvester-resource';

/**
 * A pod of the `harvester` store. Harvester registers its own pod model for its store
 * (harvester-ui-extension v1.7.3 models/harvester/pod.js, based on models/harvester.js), so on a real
 * Harvester cluster a pod is NOT the shell's pod model: none of the shell's workload getters
 * (containers, containerIsInit, workloadRef, ...). Written from that behavior: Harvester's routes
 * (HarvesterStandinResource) and `node`, the Node object the pod runs on, from the product's store.
 */
export default class HarvesterStandinPod extends HarvesterStandinResource {
  get node() {
    const inStore = this.$rootGetters['currentProduct']?.inStore;
    const nodeName = this.spec?.nodeName;

    return this.$rootGetters[`${ inStore }/all`](NODE).find((node) => node?.metadata?.name === nodeName);
  }
}
