/**
 * What a flow endpoint turned out to be in Harvester terms. Produced by the endpoint index
 * (enrich.ts) and consumed by aggregation and the graph model.
 */
import { AddressScope } from '../../net/ip';

export type EndpointKind = 'vm' | 'pod' | 'node' | 'service' | 'external';

/** The network a VM NIC is attached to. */
export type VmNetwork =
  | { kind: 'pod' }
  | {
      kind: 'multus';
      /** The NetworkAttachmentDefinition, `<namespace>/<name>`. */
      nad: string;
      /** 802.1Q VLAN id from the NAD's config; absent for untagged networks or unreadable configs. */
      vlan?: number;
      /** Harvester cluster network (label network.harvesterhci.io/clusternetwork), e.g. `mgmt`. */
      clusterNetwork?: string;
    };

export interface Endpoint {
  /** Stable identity: `vm:<ns>/<name>`, `pod:<ns>/<name>`, `node:<name>`, `service:<ns>/<name>`, `external:<ip>`. */
  key: string;
  kind: EndpointKind;
  name: string;
  /** '' for nodes and external endpoints. */
  namespace: string;
  /** Canonical address the endpoint was seen with; '' when the flow carried none. */
  ip: string;
  /** The node a VM or pod runs on, when known. */
  node?: string;
  /** VM interface (network) name the address belongs to. */
  nic?: string;
  /** VM NIC network, for inter-VLAN classification. */
  network?: VmNetwork;
  /** A pod in the node's network namespace (shares the node's address). */
  hostNetwork?: boolean;
  /** For external endpoints: private, public, ... */
  scope?: AddressScope;
  /** How the endpoint was identified: by address, by DeepFlow tag, or not at all. */
  via: 'ip' | 'tag' | 'none';
  /** More than one live object claims this address (e.g. overlapping VLAN subnets); the newest was chosen. */
  ambiguous?: boolean;
}

/** DeepFlow's tags for one side of a flow (empty strings mean "not tagged"). */
export interface EndpointTags {
  pod?: string;
  namespace?: string;
  node?: string;
}

/** A stable identity for a VLAN-style network, or undefined for the pod network. */
export function networkKey(network: VmNetwork | undefined): string | undefined {
  return network?.kind === 'multus' ? network.nad : undefined;
}
