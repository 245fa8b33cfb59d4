import { reviewObjects } from './review';
import { STACK } from '../stack/constants';
import { buildStackNamespace } from '../stack/addon';
import { LAYOUT_VALUES } from './renderings';
import { ExternalDatabases, HostPort, clickhouseHostList, parseHostPort } from '../install/external-db';
import { cidrList } from '../install/network';
import { hostCidr } from '../net/cidr';
import { parseIp } from '../net/ip';

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

/**
 * The external-database layouts are rendered with example values (layouts.json: documentation addresses and
 * names no real install uses). This puts the wizard's choice in their place, as the chart templates do
 * (clickhouse/service.yaml Endpoints, networkpolicies/_peers.tpl egress rules, server/configmap.yaml): one
 * Endpoints subset and one egress rule per ClickHouse node, the MySQL CIDRs (or the host's own address) and port,
 * and the user names, Secret names, host, cluster and storage policy wherever they appear.
 */
export function withExternalDatabases(objects: unknown[], external: ExternalDatabases): unknown[] {
  const example = LAYOUT_VALUES['external-db'] as any;
  const exCh = example.clickhouse.external;
  const exMy = example.mysql.external;
  const exChCidr = `${ exCh.hosts[0].ip }/32`;
  const hosts = external.clickhouse.enabled ? clickhouseHostList(external.clickhouse.hosts).map(parseHostPort).filter((h): h is HostPort => !!h) : [];
  const my = external.mysql;
  const hostIp = parseIp(my.host.trim());
  const mysqlCidrs = cidrList(my.egressCIDRs).length ? cidrList(my.egressCIDRs) : hostIp ? [hostCidr(hostIp.bytes)] : [];
  const tokens: [string, string][] = [
    [exMy.host, my.host.trim()], [exMy.username, my.username], [exMy.existingSecret, my.secret],
    [exCh.username, external.clickhouse.username], [exCh.existingSecret, external.clickhouse.secret],
    [exCh.clusterName, external.clickhouse.clusterName], [exCh.storagePolicy, external.clickhouse.storagePolicy],
  ];
  const hostRule = (h: HostPort) => ({ to: [{ ipBlock: { cidr: hostCidr(parseIp(h.ip)?.bytes || []) } }], ports: [{ protocol: 'TCP', port: h.port }] });

  if (!external.clickhouse.enabled && !my.enabled) {
    return objects;
  }

  return objects.map((o: any) => {
    let text = JSON.stringify(o);

    tokens.forEach(([from, to]) => {
      text = text.split(from).join(to);
    });
    // The example MySQL port only appears as a port (a YAML scalar in server.yaml, a number in the policies).
    text = text.split(`port: ${ exMy.port }`).join(`port: ${ my.port }`).split(`"port":${ exMy.port }`).join(`"port":${ my.port }`);
    const copy = JSON.parse(text);

    if (copy?.kind === 'Endpoints') {
      copy.subsets = hosts.map((h) => ({ addresses: [{ ip: h.ip }], ports: [{ name: 'tcp-port', port: h.port, protocol: 'TCP' }] }));
    }
    if (copy?.kind === 'NetworkPolicy' && Array.isArray(copy.spec?.egress)) {
      copy.spec.egress = copy.spec.egress.flatMap((rule: Rule) => {
        const cidrs = ipBlockCidrs(rule.to)?.join();

        if (cidrs === exChCidr) {
          return hosts.map(hostRule);
        }

        return cidrs === exMy.egressCIDRs.join() ? [{ ...rule, to: blocks(mysqlCidrs) }] : [rule];
      });
    }

    return copy;
  });
}
