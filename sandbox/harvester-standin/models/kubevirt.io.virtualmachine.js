import HarvesterStandinResource from './harvester-resource';

/**
 * A VM. Harvester's VM model (harvester-ui-extension v1.7.3 models/kubevirt.io.virtualmachine.js) is based on
 * models/harvester.js; of its behavior the stand-in keeps the routes, so the VM list links to Harvester's VM page.
 */
export default class HarvesterStandinVirtualMachine extends HarvesterStandinResource {}
