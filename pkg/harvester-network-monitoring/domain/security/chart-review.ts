import { reviewObjects } from './review';
import { STACK } from '../stack/constants';
import { buildStackNamespace } from '../stack/addon';

/**
 * Reviews the chart's rendered manifests as the wizard would install them: with the stack namespace
 * the wizard creates (Helm cannot own its release namespace), in the stack's namespaces only, and
 * with the cluster's node addresses so policies for host-network and API-server-proxied traffic
 * can be verified.
 */
export function reviewChart(objects: unknown[], nodeCIDRs: string[] = [], apiServerCIDRs: string[] = []) {
  return reviewObjects([buildStackNamespace(), ...objects], {
    nodeCIDRs,
    ...(apiServerCIDRs.length ? { apiServerCIDRs } : {}),
    defaultNamespace: STACK.stackNamespace,
    focusNamespaces:  [STACK.stackNamespace, STACK.agentNamespace],
  });
}

/** Ports only node sources (host-network agents) use: DeepFlow's grpc and ingester ports. */
const NODE_ONLY_PORTS = [20035, 20033];

type Peer = { ipBlock?: { cidr?: string } };
type Rule = { from?: Peer[]; to?: Peer[]; ports?: { port?: number | string }[] };

function ipBlockCidrs(peers: Peer[] | undefined): string[] | undefined {
  if (!Array.isArray(peers) || !peers.length || !peers.every((p) => p?.ipBlock?.cidr)) {
    return undefined;
  }

  return peers.map((p) => p.ipBlock?.cidr as string);
}

const blocks = (cidrs: string[]): Peer[] => cidrs.map((cidr) => ({ ipBlock: { cidr } }));

/**
 * The rendered manifests carry the chart's default node sources (networkPolicy.nodeCIDRs, with
 * apiServerCIDRs and kubeAPIServerCIDRs left to default to them). This puts the wizard's choice in their
 * place, as the chart templates do (templates/networkpolicies): ingress on DeepFlow's grpc/ingester ports
 * from the nodes, Grafana's NodePort rule (the second ipBlock rule of a policy) from the NodePort clients
 * (grafana.service.clientCIDRs, default the nodes), the API server's proxy (first ipBlock rule otherwise) and
 * egress to the Kubernetes API to the API-server addresses.
 */
export function withPolicySources(
  objects: unknown[], chartNodeCIDRs: string[], nodeCIDRs: string[], apiServerCIDRs: string[], nodePortClients: string[] = []
): unknown[] {
  if (!nodeCIDRs.length && !nodePortClients.length) {
    return objects;
  }
  const defaults = chartNodeCIDRs.join();
  const nodes = nodeCIDRs.length ? nodeCIDRs : chartNodeCIDRs;
  const api = apiServerCIDRs.length ? apiServerCIDRs : nodes;
  const clients = nodePortClients.length ? nodePortClients : nodes;
  const isDefault = (peers: Peer[] | undefined) => ipBlockCidrs(peers)?.join() === defaults;

  return objects.map((o: any) => {
    if (o?.kind !== 'NetworkPolicy' || !o.spec) {
      return o;
    }
    const copy = JSON.parse(JSON.stringify(o));
    let ipRules = 0;

    (copy.spec.ingress || []).forEach((rule: Rule) => {
      if (!isDefault(rule.from)) {
        return;
      }
      const nodeOnly = (rule.ports || []).some((p) => NODE_ONLY_PORTS.includes(Number(p.port)));

      rule.from = blocks(nodeOnly ? nodes : (ipRules > 0 ? clients : api));
      ipRules += nodeOnly ? 0 : 1;
    });
    (copy.spec.egress || []).forEach((rule: Rule) => {
      if (isDefault(rule.to)) {
        rule.to = blocks(api);
      }
    });

    return copy;
  });
}
