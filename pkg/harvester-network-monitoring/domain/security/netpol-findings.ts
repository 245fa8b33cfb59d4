import { finding } from './finding';
import { uniqueSorted } from '../guards';
import {
  DEFAULT_API_SERVER_PROXY_PORTS, PodCatalog, apiServerProxyPortsOf, catalogOf, targetOf
} from './netpol';
import {
  ParsedPolicy, PolicySet, PortRule, RKE2_CLUSTER_DNS, TargetPod, TrafficRule, Verdict, buildPolicySet, egressVerdict, ingressVerdict,
  podsMatchingPeer, policySelects
} from './netpol-model';
import {
  LAUNCHER_POD_LABELS, ObjectIndex, PodTemplate, VmTemplate
} from './objects';
import { isRange, parseCidr } from '../net/cidr';
import { isEmptySelector } from './selectors';
import { Finding, ReviewOptions } from './types';

/**
 * NetworkPolicy findings, centred on the mistakes the original design made: admitting the
 * host-network agent by pod selector, and shutting out the API server's proxy in front of Grafana
 * and the querier, plus coverage gaps (no policy, no default deny) and over-wide rules.
 */

const portLabel = (protocol: string, port: number | undefined) => (port === undefined ? `${ protocol } (all ports)` : `${ protocol } ${ port }`);

/** Concrete ports a rule opens on a pod: named ports resolved, ranges represented by their ends. */
interface PortProbe { port: number | undefined; protocol: string }

function portsToTest(rule: TrafficRule, target: TargetPod): PortProbe[] {
  if (rule.ports === 'all') {
    return target.ports.length ? target.ports.map((p) => ({ port: p.port, protocol: p.protocol })) : [{ port: undefined, protocol: 'TCP' }];
  }

  return rule.ports.flatMap((p: PortRule): PortProbe[] => {
    if (p.port === undefined) {
      return [{ port: undefined, protocol: p.protocol }];
    }
    if (typeof p.port === 'number') {
      return p.endPort !== undefined ? [{ port: p.port, protocol: p.protocol }, { port: p.endPort, protocol: p.protocol }] : [{ port: p.port, protocol: p.protocol }];
    }

    return target.ports.filter((cp) => cp.name === p.port && cp.protocol === p.protocol).map((cp) => ({ port: cp.port, protocol: cp.protocol }));
  });
}

function selectedTemplates(policy: ParsedPolicy, pods: PodCatalog): PodTemplate[] {
  return pods.targets.filter((t) => !t.hostNetwork && policySelects(policy, t)).map((t) => pods.templateOf.get(t) as PodTemplate);
}

function hostNetworkPeerFindings(set: PolicySet, pods: PodCatalog, index: ObjectIndex): Finding[] {
  const out: Finding[] = [];

  for (const policy of set.policies) {
    if (!policy.ingressType || !index.inFocus(policy.namespace)) {
      continue;
    }
    const targets = selectedTemplates(policy, pods);
    const grouped = new Map<string, { target: PodTemplate; sources: Set<string>; blocked: Set<string>; unsure: Set<string> }>();

    for (const rule of policy.ingress) {
      if (rule.peers === 'all') {
        continue;
      }
      const sources = rule.peers.flatMap((peer) => podsMatchingPeer(peer, policy.namespace, pods.targets, set.ctx).hostNetwork)
        .map((tp) => pods.templateOf.get(tp) as PodTemplate);

      if (!sources.length) {
        continue;
      }
      for (const target of targets) {
        const tp = targetOf(target);
        const entry = grouped.get(`${ target.ref.kind }/${ target.ref.name }`) || {
          target, sources: new Set<string>(), blocked: new Set<string>(), unsure: new Set<string>()
        };

        sources.forEach((s) => entry.sources.add(s.ref.name));
        for (const { port, protocol } of portsToTest(rule, tp)) {
          const verdict = ingressVerdict(set, tp, { kind: 'node' }, port, protocol);

          if (verdict === 'blocked') {
            entry.blocked.add(portLabel(protocol, port));
          } else if (verdict !== 'allowed') {
            entry.unsure.add(portLabel(protocol, port));
          }
        }
        grouped.set(`${ target.ref.kind }/${ target.ref.name }`, entry);
      }
    }
    for (const g of grouped.values()) {
      const params = {
        policy: policy.object.name, namespace: policy.namespace, sources: uniqueSorted(g.sources), target: g.target.ref.name
      };

      if (g.blocked.size) {
        out.push(finding('netpol.hostNetworkPeerBlocked', 'netpol', 'critical', policy.object.ref, { ...params, ports: uniqueSorted(g.blocked) }));
      } else if (g.unsure.size) {
        out.push(finding('netpol.hostNetworkPeerUnverified', 'netpol', 'warning', policy.object.ref, { ...params, ports: uniqueSorted(g.unsure) }));
      }
    }
  }

  return out;
}

function apiServerProxyFindings(set: PolicySet, index: ObjectIndex, options: ReviewOptions): Finding[] {
  const out: Finding[] = [];
  const apiCidrs = (options.apiServerCIDRs && options.apiServerCIDRs.length ? options.apiServerCIDRs : options.nodeCIDRs || []).map(parseCidr);
  // Same policies, but "the node network" means the API server's addresses here.
  const apiSet: PolicySet = { policies: set.policies, ctx: { ...set.ctx, nodeCidrs: apiCidrs.filter((c): c is NonNullable<typeof c> => !!c) } };
  const proxyPorts = options.apiServerProxyPorts || DEFAULT_API_SERVER_PROXY_PORTS;

  for (const t of index.podTemplates) {
    if (t.hostNetwork || !index.inFocus(t.namespace)) {
      continue;
    }
    const target = targetOf(t);
    const ports = apiServerProxyPortsOf(t, index, proxyPorts);
    const policies = set.policies.filter((p) => p.ingressType && policySelects(p, target)).map((p) => p.object.name);

    if (!ports.length || !policies.length) {
      continue;
    }
    const verdicts = ports.map((port) => ({ port, verdict: ingressVerdict(apiSet, target, { kind: 'node' }, port, 'TCP') as Verdict }));
    const blocked = verdicts.filter((v) => v.verdict === 'blocked').map((v) => String(v.port));
    const unsure = verdicts.filter((v) => v.verdict === 'partial' || v.verdict === 'unknown').map((v) => String(v.port));
    const params = { workload: t.ref.name, namespace: t.namespace, policies: uniqueSorted(policies) };

    if (blocked.length) {
      out.push(finding('netpol.apiServerProxyBlocked', 'netpol', 'critical', t.ref, { ...params, ports: blocked }));
    } else if (unsure.length) {
      out.push(finding('netpol.apiServerProxyUnverified', 'netpol', 'warning', t.ref, { ...params, ports: unsure }));
    }
  }

  return out;
}

function describeRulePorts(rule: TrafficRule): string {
  return rule.ports === 'all' ? 'all' : rule.ports.map((p) => `${ p.protocol } ${ p.port ?? '*' }${ p.endPort !== undefined ? `-${ p.endPort }` : '' }`).join(', ');
}

function wideRuleFindings(set: PolicySet, index: ObjectIndex): Finding[] {
  const out: Finding[] = [];

  for (const policy of set.policies) {
    if (!policy.ingressType || !index.inFocus(policy.namespace)) {
      continue;
    }
    // Node and API-server sources are single addresses: a range admits every pod and host in it too.
    const ranges = new Set<string>();
    const rangePorts = new Set<string>();

    for (const rule of policy.ingress) {
      const broad = rule.peers === 'all' ? [] : rule.peers.filter((peer) => peer.kind === 'ipBlock' && peer.cidr && peer.cidr.prefix > 0 && isRange(peer.cidr));

      if (broad.length) {
        broad.forEach((peer) => ranges.add((peer as { cidrText: string }).cidrText));
        rangePorts.add(describeRulePorts(rule));
      }
    }
    if (ranges.size) {
      out.push(finding('netpol.ingressFromRange', 'netpol', 'warning', policy.object.ref, {
        policy: policy.object.name, namespace: policy.namespace, cidrs: uniqueSorted(ranges), ports: uniqueSorted(rangePorts)
      }));
    }
    for (const rule of policy.ingress) {
      const params = { policy: policy.object.name, namespace: policy.namespace, ports: describeRulePorts(rule) };

      if (rule.peers === 'all') {
        out.push(finding('netpol.ingressAllSources', 'netpol', 'info', policy.object.ref, params));
        continue;
      }
      for (const peer of rule.peers) {
        if (peer.kind === 'ipBlock' && peer.cidr && peer.cidr.prefix === 0) {
          out.push(finding('netpol.ingressFromAnywhere', 'netpol', 'warning', policy.object.ref, { ...params, cidr: peer.cidrText }));
        }
      }
    }
  }

  return out;
}

/** "Deny all egress except DNS" is the usual default deny: rules that open nothing but port 53. */
function onlyDns(rule: TrafficRule): boolean {
  const dnsNames = ['dns', 'dns-tcp', ...(RKE2_CLUSTER_DNS.ports || []).map((p) => p.name)];

  return rule.ports !== 'all' && rule.ports.every((p) => p.port === 53 || dnsNames.includes(String(p.port)));
}

/**
 * The VMs of the input, each once: VirtualMachine objects, and VMs known only by their virt-launcher
 * pods (label vm.kubevirt.io/name). A launcher pod is covered by the VM's finding, not its own.
 */
function vmsOf(index: ObjectIndex): VmTemplate[] {
  const out = new Map<string, VmTemplate>();

  for (const vm of index.virtualMachines) {
    out.set(`${ vm.namespace }/${ vm.name }`, vm);
  }
  for (const t of index.podTemplates) {
    const name = t.labels[LAUNCHER_POD_LABELS.vmName];

    if (name && !out.has(`${ t.namespace }/${ name }`)) {
      out.set(`${ t.namespace }/${ name }`, {
        ref: { kind: 'VirtualMachine', namespace: t.namespace, name }, namespace: t.namespace, name, launcherLabels: t.labels
      });
    }
  }

  return [...out.values()];
}

const isLauncher = (t: PodTemplate) => !!t.labels[LAUNCHER_POD_LABELS.vmName];

/** VMs whose virt-launcher pod no NetworkPolicy selects: every connection to and from the VM's pod network NIC is allowed. */
function vmCoverageFindings(set: PolicySet, index: ObjectIndex, vms: VmTemplate[]): Finding[] {
  return vms.filter((vm) => index.inFocus(vm.namespace) && !set.policies.some((p) => policySelects(p, { namespace: vm.namespace, labels: vm.launcherLabels })))
    .map((vm) => finding('netpol.vmUncovered', 'netpol', 'warning', vm.ref, { vm: vm.name, namespace: vm.namespace }));
}

function coverageFindings(set: PolicySet, index: ObjectIndex, vms: VmTemplate[]): Finding[] {
  const out: Finding[] = [];
  const namespacesWithPods = new Set<string>();

  for (const t of index.podTemplates) {
    if (!index.inFocus(t.namespace)) {
      continue;
    }
    const params = { workload: t.ref.name, namespace: t.namespace };

    if (t.hostNetwork) {
      out.push(finding('netpol.hostNetworkPod', 'netpol', 'info', t.ref, params));
      continue;
    }
    namespacesWithPods.add(t.namespace);
    if (!isLauncher(t) && !set.policies.some((p) => policySelects(p, t))) {
      out.push(finding('netpol.podUncovered', 'netpol', 'warning', t.ref, params));
    }
  }
  for (const vm of vms) {
    if (index.inFocus(vm.namespace)) {
      namespacesWithPods.add(vm.namespace);
    }
  }
  for (const ns of [...namespacesWithPods].sort()) {
    const inNs = set.policies.filter((p) => p.namespace === ns && isEmptySelector(p.podSelector));
    const ref = { kind: 'Namespace', name: ns };

    if (!set.policies.some((p) => p.namespace === ns)) {
      out.push(finding('netpol.namespaceUncovered', 'netpol', 'warning', ref, { namespace: ns }));
    }
    if (!inNs.some((p) => p.ingressType && p.ingress.length === 0)) {
      out.push(finding('netpol.noDefaultDenyIngress', 'netpol', 'warning', ref, { namespace: ns }));
    }
    if (!inNs.some((p) => p.egressType && p.egress.every(onlyDns))) {
      out.push(finding('netpol.noDefaultDenyEgress', 'netpol', 'info', ref, { namespace: ns }));
    }
  }

  return out;
}

function policyHygieneFindings(set: PolicySet, pods: PodCatalog, index: ObjectIndex, vms: VmTemplate[]): Finding[] {
  const out: Finding[] = [];
  const allPorts = pods.targets.flatMap((t) => t.ports);

  for (const policy of set.policies) {
    if (!index.inFocus(policy.namespace)) {
      continue;
    }
    const selected = selectedTemplates(policy, pods).map(targetOf);
    const vmsInNamespace = vms.filter((vm) => vm.namespace === policy.namespace);
    const podsInNamespace = pods.targets.some((t) => t.namespace === policy.namespace) || vmsInNamespace.length > 0;
    // A stopped VM has no launcher pod, but a policy written for it is not stale.
    const selectsVm = vmsInNamespace.some((vm) => policySelects(policy, { namespace: vm.namespace, labels: vm.launcherLabels }));
    const base = { policy: policy.object.name, namespace: policy.namespace };

    if (!selected.length && !selectsVm && podsInNamespace && !isEmptySelector(policy.podSelector)) {
      out.push(finding('netpol.selectsNothing', 'netpol', 'info', policy.object.ref, base));
    }
    const unresolved = new Set<string>();
    const check = (rules: TrafficRule[], owners: { ports: { name?: string; protocol: string }[] }[]) => {
      for (const rule of rules) {
        for (const p of rule.ports === 'all' ? [] : rule.ports) {
          if (typeof p.port === 'string' && owners.length && !owners.some((o) => o.ports.some((cp) => cp.name === p.port && cp.protocol === p.protocol))) {
            unresolved.add(`${ p.protocol } ${ p.port }`);
          }
        }
      }
    };

    if (policy.ingressType) {
      check(policy.ingress, selected);
    }
    if (policy.egressType) {
      check(policy.egress, [{ ports: allPorts }]);
    }
    if (unresolved.size) {
      out.push(finding('netpol.namedPortUnresolved', 'netpol', 'warning', policy.object.ref, { ...base, ports: uniqueSorted(unresolved) }));
    }
  }

  return out;
}

function dnsFindings(set: PolicySet, index: ObjectIndex): Finding[] {
  const out: Finding[] = [];

  for (const t of index.podTemplates) {
    if (t.hostNetwork || !index.inFocus(t.namespace)) {
      continue;
    }
    const source = targetOf(t);
    const egressPolicies = set.policies.filter((p) => p.egressType && policySelects(p, source));

    // An ipBlock that might hold the DNS pods' addresses makes the verdict 'unknown', not 'blocked'.
    if (!egressPolicies.length || egressVerdict(set, source, RKE2_CLUSTER_DNS, 53, 'UDP') !== 'blocked') {
      continue;
    }
    out.push(finding('netpol.egressBlocksDns', 'netpol', 'warning', t.ref, {
      workload: t.ref.name, namespace: t.namespace, policies: uniqueSorted(egressPolicies.map((p) => p.object.name))
    }));
  }

  return out;
}

export function reviewNetworkPolicies(index: ObjectIndex, options: ReviewOptions = {}): Finding[] {
  const set = buildPolicySet(index, options.nodeCIDRs || []);
  const pods = catalogOf(index.podTemplates);
  const vms = vmsOf(index);

  return [
    ...hostNetworkPeerFindings(set, pods, index),
    ...apiServerProxyFindings(set, index, options),
    ...wideRuleFindings(set, index),
    ...coverageFindings(set, index, vms),
    ...vmCoverageFindings(set, index, vms),
    ...policyHygieneFindings(set, pods, index, vms),
    ...dnsFindings(set, index),
  ];
}
