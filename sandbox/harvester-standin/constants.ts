/** Names the real Harvester UI extension uses; our extension plugs into exactly these. */
export const PRODUCT = 'harvester';
export const STORE = 'harvester';
export const VM_TYPE = 'kubevirt.io.virtualmachine';
export const SETTING_TYPE = 'harvesterhci.io.setting';

/** Steve base of a Harvester cluster's API as Rancher proxies it ('local' is served at the root). */
export function harvesterSteveBase(clusterId: string): string {
  return clusterId === 'local' ? '/v1/harvester' : `/k8s/clusters/${ encodeURIComponent(clusterId) }/v1/harvester`;
}
