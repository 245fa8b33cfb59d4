/**
 * Which network each VM NIC uses: the VM spec's `networks[]` names an interface and either the
 * pod network or a Multus NetworkAttachmentDefinition; Harvester NADs carry the VLAN in their
 * CNI config JSON (`{"type":"bridge","bridge":"mgmt-br","vlan":100,...}`). Objects are untrusted.
 */
import { VmNetwork } from './endpoint';
import { meta } from './objects';
import { arr, isRecord, text } from '../../guards';

export const CLUSTER_NETWORK_LABEL = 'network.harvesterhci.io/clusternetwork';

export interface NadInfo {
  vlan?: number;
  clusterNetwork?: string;
}

/** The VLAN id from a NAD's `spec.config`, or undefined when absent or unreadable. */
export function vlanFromConfig(config: unknown): number | undefined {
  if (typeof config !== 'string' || config.length > 65536) {
    return undefined;
  }
  let parsed: unknown;

  try {
    parsed = JSON.parse(config);
  } catch {
    return undefined;
  }
  const vlan = isRecord(parsed) ? parsed.vlan : undefined;

  // 0 means untagged in the bridge CNI; 4095 is reserved.
  return typeof vlan === 'number' && Number.isInteger(vlan) && vlan >= 1 && vlan <= 4094 ? vlan : undefined;
}

/** NetworkAttachmentDefinitions by `<namespace>/<name>`. */
export function indexNads(nads: unknown[]): Map<string, NadInfo> {
  const out = new Map<string, NadInfo>();

  for (const nad of nads) {
    const { name, namespace, labels } = meta(nad);

    if (!name || !namespace) {
      continue;
    }
    const spec = isRecord(nad) && isRecord((nad as any).spec) ? (nad as any).spec : {};
    const info: NadInfo = {};
    const vlan = vlanFromConfig(spec.config);
    const clusterNetwork = text(labels[CLUSTER_NETWORK_LABEL]);

    if (vlan !== undefined) {
      info.vlan = vlan;
    }
    if (clusterNetwork) {
      info.clusterNetwork = clusterNetwork;
    }
    out.set(`${ namespace }/${ name }`, info);
  }

  return out;
}

/**
 * Interface name -> network, from a `networks[]` arr (VMI spec or VM template spec).
 * Multus `networkName` may be `<ns>/<name>` or a bare name in the VM's namespace.
 */
export function networksByInterface(networks: unknown, vmNamespace: string, nads: Map<string, NadInfo>): Map<string, VmNetwork> {
  const out = new Map<string, VmNetwork>();

  for (const net of arr(networks)) {
    if (!isRecord(net) || !text(net.name)) {
      continue;
    }
    if (isRecord(net.pod)) {
      out.set(net.name, { kind: 'pod' });
      continue;
    }
    const networkName = isRecord(net.multus) ? text(net.multus.networkName) : '';

    if (!networkName) {
      continue;
    }
    const parts = networkName.split('/');

    if (parts.length > 2 || parts.some((p) => !p)) {
      continue;
    }
    const nad = parts.length === 2 ? networkName : `${ vmNamespace }/${ networkName }`;
    const info = nads.get(nad) ?? {};

    out.set(net.name, { kind: 'multus', nad, ...info });
  }

  return out;
}

/** `spec.template.spec.networks` of a VirtualMachine. */
export function vmTemplateNetworks(vm: unknown): unknown {
  const spec = isRecord(vm) ? vm.spec : undefined;
  const template = isRecord(spec) ? spec.template : undefined;
  const templateSpec = isRecord(template) ? template.spec : undefined;

  return isRecord(templateSpec) ? templateSpec.networks : undefined;
}
