/**
 * Maps flow endpoints (an address plus optional DeepFlow tags) to Harvester objects. The index is
 * built once from the cluster's objects and answers each lookup with a Map access.
 *
 * Resolution order for one side of a flow:
 * 1. DeepFlow named a pod (namespace + pod tags): that pod (a VM when it is a virt-launcher pod).
 *    Tags were attached when the flow was recorded, so they beat today's address owners.
 * 2. The address belongs to a VM NIC, pod, Service or node in the index.
 * 3. The flow carried no address but DeepFlow named a node (pod_node tag): that node.
 * 4. Otherwise external (flagged private/public by address range).
 *
 * Address reuse: when several objects claim one address, a live object beats one being deleted
 * (or a finished pod), then the newest creationTimestamp wins, then VM > pod > Service > node.
 * The result is marked `ambiguous` when more than one distinct live object claims the address
 * (overlapping VLAN subnets do that legitimately). Host-network pods share their node's address,
 * so addresses are attributed to the node; such pods are reachable only through DeepFlow tags.
 */
import { Endpoint, EndpointKind, EndpointTags, VmNetwork } from './endpoint';
import { addressScope, parseIp } from '../../net/ip';
import { meta } from './objects';
import { arr, isRecord, text } from '../../guards';
import { indexNads, networksByInterface, vmTemplateNetworks } from './vm-networks';

export const VM_NAME_LABEL = 'kubevirt.io/vm';
export const LAUNCHER_VM_LABEL = 'vm.kubevirt.io/name';

/** The raw objects (as listed from the API) the index is built from; every arr is optional. */
export interface ClusterObjects {
  vms?: unknown[];
  vmis?: unknown[];
  pods?: unknown[];
  nodes?: unknown[];
  services?: unknown[];
  networkAttachmentDefinitions?: unknown[];
}

export interface VmNic {
  name: string;
  ips: string[];
  network?: VmNetwork;
}

/** What the VM/pod Network tabs need to query one VM's traffic. */
export interface VmInfo {
  namespace: string;
  name: string;
  node?: string;
  nics: VmNic[];
  /** Every canonical address of every NIC, then those of its live virt-launcher pods not already among them. */
  ips: string[];
  launcherPod?: string;
}

export interface EndpointIndex {
  /** Resolves one side of a flow. Never throws; unknown input yields an external endpoint. */
  resolve(ip: unknown, tags?: EndpointTags): Endpoint;
  /** resolve() with the tags as arguments, for flow lists: no tags object per side. */
  resolveSide(ip: unknown, pod: unknown, namespace: unknown, node: unknown): Endpoint;
  /** The indexed endpoint for an address, without tag logic or external fallback. */
  lookupIp(ip: unknown): Endpoint | undefined;
  vm(namespace: string, name: string): VmInfo | undefined;
  /** Host-network pods per node name (their traffic is attributed to the node). */
  hostNetworkPods(node: string): string[];
  /** Number of indexed addresses. */
  readonly size: number;
}

interface Candidate {
  endpoint: Endpoint;
  created: number;
  live: boolean;
}

const KIND_RANK: Record<EndpointKind, number> = {
  vm: 0, pod: 1, service: 2, node: 3, external: 4
};

/** True when `a` should own the address rather than `b`. */
function beats(a: Candidate, b: Candidate): boolean {
  if (a.endpoint.key === b.endpoint.key) {
    // The same VM seen through its VMI (with NIC and network) and its virt-launcher pod: keep the NIC.
    return !!a.endpoint.nic && !b.endpoint.nic;
  }
  if (a.live !== b.live) {
    return a.live;
  }
  if (a.created !== b.created) {
    return a.created > b.created;
  }

  return KIND_RANK[a.endpoint.kind] < KIND_RANK[b.endpoint.kind];
}

function addressesOf(values: unknown[]): string[] {
  const out: string[] = [];

  for (const v of values) {
    const ip = parseIp(v)?.text;

    if (ip && !out.includes(ip)) {
      out.push(ip);
    }
  }

  return out;
}

function freeze(e: Endpoint): Endpoint {
  return Object.freeze(e);
}

const MAX_CACHE = 100_000;

/** A side with no address and no node DeepFlow named. */
const UNKNOWN = freeze({
  key: 'external:unknown', kind: 'external', name: '', namespace: '', ip: '', via: 'none'
});

class Builder {
  private readonly claims = new Map<string, Candidate[]>();
  readonly vms = new Map<string, VmInfo>();
  readonly podsByName = new Map<string, Endpoint>();
  readonly nodesByName = new Map<string, Endpoint>();
  readonly hostNetworkByNode = new Map<string, string[]>();

  claim(ip: string, endpoint: Endpoint, created: number, live: boolean): void {
    const entry: Candidate = { endpoint: freeze({ ...endpoint, ip }), created, live };
    const existing = this.claims.get(ip);

    if (existing) {
      existing.push(entry);
    } else {
      this.claims.set(ip, [entry]);
    }
  }

  /** Picks one owner per address. */
  finish(): Map<string, Endpoint> {
    const out = new Map<string, Endpoint>();

    this.claims.forEach((candidates, ip) => {
      let best = candidates[0];
      // Ambiguous: two distinct live objects claim the address (most addresses have one claim: nothing allocated).
      let liveKey: string | undefined;
      let ambiguous = false;

      for (const c of candidates) {
        if (beats(c, best)) {
          best = c;
        }
        if (c.live) {
          ambiguous = ambiguous || (liveKey !== undefined && liveKey !== c.endpoint.key);
          liveKey = c.endpoint.key;
        }
      }

      out.set(ip, ambiguous ? freeze({ ...best.endpoint, ambiguous: true }) : best.endpoint);
    });

    return out;
  }
}

function addVmis(b: Builder, objects: ClusterObjects, nads: ReturnType<typeof indexNads>): void {
  const vmNetworks = new Map<string, unknown>();

  for (const vm of arr(objects.vms)) {
    const m = meta(vm);

    if (m.name && m.namespace) {
      vmNetworks.set(`${ m.namespace }/${ m.name }`, vmTemplateNetworks(vm));
    }
  }

  for (const vmi of arr(objects.vmis)) {
    const m = meta(vmi);

    if (!m.name || !m.namespace || !isRecord(vmi)) {
      continue;
    }
    const owner = m.owners.find((o) => o.kind === 'VirtualMachine' && o.name);
    const vmName = text(m.labels[VM_NAME_LABEL]) || owner?.name || m.name;
    const spec = isRecord(vmi.spec) ? vmi.spec : {};
    const status = isRecord(vmi.status) ? vmi.status : {};
    const networks = networksByInterface(
      Array.isArray(spec.networks) ? spec.networks : vmNetworks.get(`${ m.namespace }/${ vmName }`), m.namespace, nads
    );
    const node = text(status.nodeName) || undefined;
    const key = `vm:${ m.namespace }/${ vmName }`;
    const info: VmInfo = b.vms.get(key) ?? {
      namespace: m.namespace, name: vmName, node, nics: [], ips: []
    };
    const live = !m.deleting && text(status.phase) !== 'Succeeded' && text(status.phase) !== 'Failed';

    for (const iface of arr(status.interfaces)) {
      if (!isRecord(iface)) {
        continue;
      }
      const nic = text(iface.name) || text(iface.interfaceName);
      const ips = addressesOf([iface.ipAddress, ...arr(iface.ipAddresses)]);
      const network = networks.get(text(iface.name));

      info.nics.push({ name: nic, ips, network });
      for (const ip of ips) {
        if (!info.ips.includes(ip)) {
          info.ips.push(ip);
        }
        b.claim(ip, {
          key, kind: 'vm', name: vmName, namespace: m.namespace, ip, node, nic: nic || undefined, network, via: 'ip'
        }, m.created, live);
      }
    }
    b.vms.set(key, info);
  }
}

function addPods(b: Builder, objects: ClusterObjects): void {
  for (const pod of arr(objects.pods)) {
    const m = meta(pod);

    if (!m.name || !m.namespace || !isRecord(pod)) {
      continue;
    }
    const spec = isRecord(pod.spec) ? pod.spec : {};
    const status = isRecord(pod.status) ? pod.status : {};
    const node = text(spec.nodeName) || undefined;
    const hostNetwork = spec.hostNetwork === true;
    const phase = text(status.phase);
    const live = !m.deleting && phase !== 'Succeeded' && phase !== 'Failed';
    const launcherOf = text(m.labels[LAUNCHER_VM_LABEL]);
    let endpoint: Endpoint;

    if (launcherOf) {
      const vmKey = `vm:${ m.namespace }/${ launcherOf }`;
      const vm = b.vms.get(vmKey);

      if (vm && !vm.launcherPod) {
        vm.launcherPod = m.name;
      }
      endpoint = {
        key: vmKey, kind: 'vm', name: launcherOf, namespace: m.namespace, ip: '', node, network: { kind: 'pod' }, via: 'ip'
      };
    } else {
      endpoint = {
        key: `pod:${ m.namespace }/${ m.name }`, kind: 'pod', name: m.name, namespace: m.namespace, ip: '', node, via: 'ip'
      };
    }
    if (hostNetwork) {
      endpoint.hostNetwork = true;
      if (node) {
        b.hostNetworkByNode.set(node, [...(b.hostNetworkByNode.get(node) ?? []), `${ m.namespace }/${ m.name }`]);
      }
    }
    b.podsByName.set(`${ m.namespace }/${ m.name }`, freeze({ ...endpoint, via: 'tag' }));
    if (hostNetwork) {
      continue;
    }
    const ips = addressesOf([status.podIP, ...arr(status.podIPs).map((p) => (isRecord(p) ? p.ip : undefined))]);
    // A VM's traffic is looked up by address (DeepFlow does not tag launcher pods), so the VM's
    // addresses include its live launcher pods': a VM with only bridge (VLAN) NICs still has one
    // on the pod network, which the VMI does not arr but whose flows resolve to the VM.
    const vmInfo = launcherOf && live ? b.vms.get(endpoint.key) : undefined;

    for (const ip of ips) {
      b.claim(ip, endpoint, m.created, live);
      if (vmInfo && !vmInfo.ips.includes(ip)) {
        vmInfo.ips.push(ip);
      }
    }
  }
}

function addNodes(b: Builder, objects: ClusterObjects): void {
  for (const node of arr(objects.nodes)) {
    const m = meta(node);

    if (!m.name || !isRecord(node)) {
      continue;
    }
    const endpoint: Endpoint = {
      key: `node:${ m.name }`, kind: 'node', name: m.name, namespace: '', ip: '', node: m.name, via: 'ip'
    };

    b.nodesByName.set(m.name, freeze({ ...endpoint, via: 'tag' }));
    const status = isRecord(node.status) ? node.status : {};
    const addresses = arr(status.addresses)
      .filter((a) => isRecord(a) && (a.type === 'InternalIP' || a.type === 'ExternalIP'))
      .map((a) => (a as Record<string, unknown>).address);

    for (const ip of addressesOf(addresses)) {
      b.claim(ip, endpoint, m.created, !m.deleting);
    }
  }
}

function addServices(b: Builder, objects: ClusterObjects): void {
  for (const svc of arr(objects.services)) {
    const m = meta(svc);

    if (!m.name || !m.namespace || !isRecord(svc)) {
      continue;
    }
    const spec = isRecord(svc.spec) ? svc.spec : {};
    const status = isRecord(svc.status) ? svc.status : {};
    const lb = isRecord(status.loadBalancer) ? arr(status.loadBalancer.ingress) : [];
    // "None" (headless) is not an address and simply fails to parse.
    const ips = addressesOf([
      spec.clusterIP, ...arr(spec.clusterIPs), ...arr(spec.externalIPs), ...lb.map((i) => (isRecord(i) ? i.ip : undefined)),
    ]);
    const endpoint: Endpoint = {
      key: `service:${ m.namespace }/${ m.name }`, kind: 'service', name: m.name, namespace: m.namespace, ip: '', via: 'ip'
    };

    for (const ip of ips) {
      b.claim(ip, endpoint, m.created, !m.deleting);
    }
  }
}

/** Builds the index; malformed objects are skipped, never fatal. */
export function buildEndpointIndex(objects: ClusterObjects): EndpointIndex {
  const b = new Builder();
  const nads = indexNads(arr(objects.networkAttachmentDefinitions));

  addVmis(b, objects, nads);
  addPods(b, objects);
  addNodes(b, objects);
  addServices(b, objects);
  const byIp = b.finish();
  // Lookup caches, bounded so a hostile flow stream cannot grow them without limit. Flow data
  // repeats the same few thousand addresses, so these make a resolve a couple of Map hits; untagged
  // sides are cached by the address exactly as the flow carried it, one Map hit.
  const canonical = new Map<string, string>();
  const untagged = new Map<string, Endpoint>();
  const externals = new Map<string, Endpoint>();
  const tagged = new Map<string, Map<string, Map<string, Endpoint>>>();
  let taggedSize = 0;

  function canonicalIp(value: unknown): string {
    if (typeof value !== 'string' || value === '') {
      return '';
    }
    let ip = canonical.get(value);

    if (ip === undefined) {
      ip = parseIp(value)?.text ?? '';
      if (canonical.size < MAX_CACHE) {
        canonical.set(value, ip);
      }
    }

    return ip;
  }

  function external(ip: string): Endpoint {
    let e = externals.get(ip);

    if (!e) {
      const parsed = parseIp(ip);

      e = freeze({
        key: `external:${ ip }`, kind: 'external', name: ip, namespace: '', ip, scope: parsed ? addressScope(parsed) : undefined, via: 'none'
      });
      if (externals.size < MAX_CACHE) {
        externals.set(ip, e);
      }
    }

    return e;
  }

  function taggedEndpoint(namespace: string, pod: string, ip: string, node: string | undefined): Endpoint {
    const known = b.podsByName.get(`${ namespace }/${ pod }`);

    if (known) {
      // A VM's own NIC entry carries the network; prefer it when the address matches.
      const byAddress = byIp.get(ip);

      return byAddress && byAddress.key === known.key ? freeze({ ...byAddress, via: 'tag' }) : freeze({ ...known, ip });
    }

    return freeze({
      key: `pod:${ namespace }/${ pod }`, kind: 'pod', name: pod, namespace, ip, node, via: 'tag'
    });
  }

  /** The endpoint DeepFlow's pod tags name (both non-empty strings), cached per namespace, pod and address. */
  function fromTags(ipValue: unknown, namespace: string, pod: string, node: unknown): Endpoint {
    const ip = canonicalIp(ipValue);
    let pods = tagged.get(namespace);

    if (!pods) {
      pods = new Map();
      tagged.set(namespace, pods);
    }
    let byAddress = pods.get(pod);

    if (!byAddress) {
      byAddress = new Map();
      pods.set(pod, byAddress);
    }
    let e = byAddress.get(ip);

    if (!e) {
      e = taggedEndpoint(namespace, pod, ip, text(node) || undefined);
      if (taggedSize < MAX_CACHE) {
        byAddress.set(ip, e);
        taggedSize++;
      }
    }

    return e;
  }

  function resolveSide(ipValue: unknown, pod: unknown, namespace: unknown, node: unknown): Endpoint {
    if (typeof pod === 'string' && pod !== '' && typeof namespace === 'string' && namespace !== '') {
      return fromTags(ipValue, namespace, pod, node);
    }
    if (typeof ipValue === 'string') {
      const known = untagged.get(ipValue);

      if (known) {
        return known;
      }
    }
    const ip = canonicalIp(ipValue);

    if (ip) {
      // With an address, the node tag changes nothing, so the answer is the address's.
      const e = byIp.get(ip) ?? external(ip);

      if (untagged.size < MAX_CACHE) {
        untagged.set(ipValue as string, e);
      }

      return e;
    }
    const nodeName = text(node);
    const nodeEndpoint = nodeName ? b.nodesByName.get(nodeName) : undefined;

    return nodeEndpoint ?? UNKNOWN;
  }

  return {
    resolve(ipValue: unknown, tags?: EndpointTags): Endpoint {
      return resolveSide(ipValue, tags?.pod, tags?.namespace, tags?.node);
    },
    resolveSide,
    lookupIp(ipValue: unknown): Endpoint | undefined {
      const ip = canonicalIp(ipValue);

      return ip ? byIp.get(ip) : undefined;
    },
    vm(namespace: string, name: string): VmInfo | undefined {
      return b.vms.get(`vm:${ namespace }/${ name }`);
    },
    hostNetworkPods(node: string): string[] {
      return [...(b.hostNetworkByNode.get(node) ?? [])];
    },
    get size() {
      return byIp.size;
    },
  };
}
