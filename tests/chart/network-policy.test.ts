/**
 * NetworkPolicies admit exactly the intended sources and ports. Each policy is reduced to readable lines,
 * "from <peer> to TCP/<port>,...", and compared with the full expected list, so an extra path fails as surely
 * as a missing one.
 */
import { STACK } from '@pkg/domain/stack/constants';
import { K8sObject, findObject, findObjects, renderChart } from '../support/helm';
import { VariantName, objectsOf } from './support/variants';

const AGENT_NS = STACK.agentNamespace;
const STACK_NS = STACK.stackNamespace;
const DEFAULT_CIDRS = 'ipBlock[10.0.0.0/8,172.16.0.0/12,192.168.0.0/16]';

function peer(p: any): string {
  if (p.ipBlock) {
    return `ipBlock[${ p.ipBlock.cidr }${ p.ipBlock.except ? ` except ${ p.ipBlock.except }` : '' }]`;
  }
  const labels = (sel: any) => Object.entries(sel?.matchLabels || {})
    .filter(([k, v]) => k !== 'app.kubernetes.io/instance' && !(k === 'app.kubernetes.io/name' && v === 'harvester-network-monitoring-stack')).map(([k, v]) => `${ k }=${ v }`).join(',');
  const pods = p.podSelector ? `pods(${ labels(p.podSelector) || 'all' })` : '';

  return p.namespaceSelector ? `ns(${ labels(p.namespaceSelector) })${ pods ? ` ${ pods }` : '' }` : pods;
}

/** ipBlocks of one rule are merged into one peer so CIDR lists read as one source. */
function peers(list: any[] | undefined): string {
  if (!list) {
    return 'ANYWHERE';
  }
  const blocks = list.filter((p) => p.ipBlock).map((p) => p.ipBlock.cidr);
  const others = list.filter((p) => !p.ipBlock).map(peer);

  return [...(blocks.length ? [`ipBlock[${ blocks.join(',') }]`] : []), ...others].join(' + ');
}

const ports = (list: any[] | undefined) => (list ? list.map((p) => `${ p.protocol }/${ p.port }`).join(',') : 'ALL PORTS');

function rules(policy: K8sObject, direction: 'ingress' | 'egress'): string[] {
  const word = direction === 'ingress' ? 'from' : 'to';

  return (policy.spec[direction] || []).map((r: any) => `${ word } ${ peers(r[word]) } ${ ports(r.ports) }`);
}

const policy = (variant: VariantName, name: string, ns: string = STACK_NS) => findObject(objectsOf(variant), 'NetworkPolicy', name, ns);

describe('default deny', () => {
  it.each([AGENT_NS, STACK_NS])('denies all ingress and egress of every pod in %s', (ns) => {
    const deny = policy('defaults', 'hnm-default-deny', ns);

    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('lists Ingress and Egress in every policy that selects a component, so nothing falls back to allow-all', () => {
    findObjects(objectsOf('defaults'), 'NetworkPolicy').filter((p) => Object.keys(p.spec.podSelector).length)
      .forEach((p) => expect({ p: p.metadata.name, types: p.spec.policyTypes }).toEqual({ p: p.metadata.name, types: ['Ingress', 'Egress'] }));
  });

  it('never admits a whole address space, any source or any port', () => {
    const all = ['defaults', 'nodeport', 'ingress-tls', 'server-3-replicas'].flatMap((v) => findObjects(objectsOf(v as VariantName), 'NetworkPolicy'))
      .flatMap((p) => [...rules(p, 'ingress'), ...rules(p, 'egress')].map((r) => `${ p.metadata.namespace }/${ p.metadata.name }: ${ r }`));

    expect(all.filter((r) => /0\.0\.0\.0\/0|::\/0|ANYWHERE|ALL PORTS/.test(r))).toEqual([]);
  });

  it('renders no policy when networkPolicy.enabled is false', () => {
    expect(findObjects(objectsOf('no-network-policy'), 'NetworkPolicy')).toEqual([]);
  });
});

describe('stack namespace', () => {
  it('admits agents (host network: node addresses) only to grpc and ingester, and the API server proxy only to the querier and the read-only agent-state proxy', () => {
    const server = policy('defaults', 'hnm-server');

    expect(rules(server, 'ingress')).toEqual([
      `from ${ DEFAULT_CIDRS } TCP/20035,TCP/20033`,
      'from ns(kubernetes.io/metadata.name=harvester-network-monitoring-agent) pods(app.kubernetes.io/component=watcher) TCP/20035',
      `from ${ DEFAULT_CIDRS } TCP/20416,TCP/20419`,
      'from pods(app.kubernetes.io/component=grafana) TCP/20416',
      'from pods(app.kubernetes.io/component=server) TCP/20416,TCP/20417,TCP/20035,TCP/20033',
      'from pods(app.kubernetes.io/component=configurator) TCP/20417',
    ]);
    expect(rules(server, 'egress')).toEqual([
      'to pods(app.kubernetes.io/component=mysql) TCP/3306',
      'to pods(app.kubernetes.io/component=clickhouse) TCP/9000',
      'to pods(app.kubernetes.io/component=server) TCP/20416,TCP/20417,TCP/20035,TCP/20033',
      `to ${ DEFAULT_CIDRS } TCP/443,TCP/6443`,
    ]);
  });

  it('uses the separate API server CIDRs for proxied traffic and the node CIDRs for agents', () => {
    const server = policy('narrow-cidrs', 'hnm-server');
    const grafana = policy('narrow-cidrs', 'hnm-grafana');

    expect(rules(server, 'ingress').filter((r) => r.startsWith('from ipBlock'))).toEqual([
      'from ipBlock[192.168.10.0/24,10.52.0.0/32,10.52.1.0/32,10.52.2.0/32] TCP/20035,TCP/20033',
      'from ipBlock[192.168.10.11/32,10.52.0.0/32] TCP/20416,TCP/20419',
    ]);
    expect(rules(grafana, 'ingress')).toEqual(['from ipBlock[192.168.10.11/32,10.52.0.0/32] TCP/8080']);
    expect(rules(server, 'egress')[3]).toBe('to ipBlock[192.168.10.11/32,10.52.0.0/32] TCP/443,TCP/6443');
  });

  it('admits the databases only from the server (and MySQL from ClickHouse, whose dictionaries read it)', () => {
    expect(rules(policy('defaults', 'hnm-clickhouse'), 'ingress')).toEqual([
      'from pods(app.kubernetes.io/component=server) + pods(app.kubernetes.io/component=clickhouse) TCP/9000',
    ]);
    expect(rules(policy('defaults', 'hnm-clickhouse'), 'egress')).toEqual([
      'to pods(app.kubernetes.io/component=mysql) TCP/3306',
      'to pods(app.kubernetes.io/component=clickhouse) TCP/9000',
    ]);
    expect(rules(policy('defaults', 'hnm-mysql'), 'ingress')).toEqual([
      'from pods(app.kubernetes.io/component=server) + pods(app.kubernetes.io/component=clickhouse) TCP/3306',
    ]);
    expect(rules(policy('defaults', 'hnm-mysql'), 'egress')).toEqual([]);
  });

  it('admits Grafana only from the API server proxy by default, and lets it reach only the querier', () => {
    const grafana = policy('defaults', 'hnm-grafana');

    expect(rules(grafana, 'ingress')).toEqual([`from ${ DEFAULT_CIDRS } TCP/8080`]);
    expect(rules(grafana, 'egress')).toEqual(['to pods(app.kubernetes.io/component=server) TCP/20416']);
  });

  it('adds node addresses for a NodePort, and the ingress controller pods for an Ingress', () => {
    expect(rules(policy('nodeport', 'hnm-grafana'), 'ingress')).toEqual([`from ${ DEFAULT_CIDRS } TCP/8080`, `from ${ DEFAULT_CIDRS } TCP/8080`]);
    expect(rules(policy('ingress-tls', 'hnm-grafana'), 'ingress')).toEqual([
      `from ${ DEFAULT_CIDRS } TCP/8080`,
      'from ns(kubernetes.io/metadata.name=kube-system) pods(app.kubernetes.io/name=rke2-ingress-nginx) TCP/8080',
    ]);
  });

  it('admits NodePort clients by their own address: grafana.service.clientCIDRs, with externalTrafficPolicy Local', () => {
    const objects = renderChart({ values: { grafana: { service: { type: 'NodePort', clientCIDRs: ['198.51.100.0/24'] } } } }).objects;
    const grafana = findObject(objects, 'NetworkPolicy', 'hnm-grafana', STACK_NS);

    expect(rules(grafana, 'ingress')).toEqual([`from ${ DEFAULT_CIDRS } TCP/8080`, 'from ipBlock[198.51.100.0/24] TCP/8080']);
    expect(findObject(objects, 'Service', 'hnm-grafana', STACK_NS).spec.externalTrafficPolicy).toBe('Local');
    expect(findObject(objectsOf('defaults'), 'Service', 'hnm-grafana', STACK_NS).spec.externalTrafficPolicy).toBeUndefined();
  });

  it('lets the configurator Job reach only the controller API, and nothing reach it', () => {
    const job = policy('defaults', 'hnm-configurator');

    expect(rules(job, 'ingress')).toEqual([]);
    expect(rules(job, 'egress')).toEqual(['to pods(app.kubernetes.io/component=server) TCP/20417']);
  });

  it('allows cluster DNS to every pod of the namespace', () => {
    expect(rules(policy('defaults', 'hnm-dns'), 'egress')).toEqual(['to ns(kubernetes.io/metadata.name=kube-system) pods(k8s-app=kube-dns) UDP/53,TCP/53']);
  });

  it('has a policy for every component of the namespace', () => {
    const selected = findObjects(objectsOf('defaults'), 'NetworkPolicy', { namespace: STACK_NS })
      .map((p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/component']).filter(Boolean).sort();

    expect(selected).toEqual(['clickhouse', 'configurator', 'grafana', 'mysql', 'server']);
  });
});

describe('agent namespace', () => {
  it('states the agent\'s egress (inert for host-network pods) and admits nothing', () => {
    const agent = policy('defaults', 'hnm-agent', AGENT_NS);

    expect(rules(agent, 'ingress')).toEqual([]);
    expect(rules(agent, 'egress')).toEqual([
      'to ns(kubernetes.io/metadata.name=harvester-network-monitoring) pods(app.kubernetes.io/component=server) TCP/20035,TCP/20033',
      'to ns(kubernetes.io/metadata.name=kube-system) pods(k8s-app=kube-dns) UDP/53,TCP/53',
      `to ${ DEFAULT_CIDRS } TCP/443,TCP/6443`,
    ]);
  });

  it('binds the API watcher (an ordinary pod) to the server\'s grpc port, DNS and the Kubernetes API, and admits nothing', () => {
    const watcher = policy('defaults', 'hnm-watcher', AGENT_NS);

    expect(rules(watcher, 'ingress')).toEqual([]);
    expect(rules(watcher, 'egress')).toEqual([
      'to ns(kubernetes.io/metadata.name=harvester-network-monitoring) pods(app.kubernetes.io/component=server) TCP/20035',
      'to ns(kubernetes.io/metadata.name=kube-system) pods(k8s-app=kube-dns) UDP/53,TCP/53',
      `to ${ DEFAULT_CIDRS } TCP/443,TCP/6443`,
    ]);
  });
});
