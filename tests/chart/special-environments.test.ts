/**
 * DeepFlow's special deployment environments and Grafana's browser hardening, on what real helm renders:
 * MACVlan/IPVlan secondary NICs (agent-group capture mode and interfaces), the watcher on a chosen node, agents
 * registering through a load balancer, and grafana.ini's CSP, sanitising, viewer and cookie settings. Each new
 * variant also passes kubeconform (strict, offline) and kube-linter.
 */
import { load } from 'js-yaml';
import { grafanaIniFindings } from '@pkg/domain/security/grafana-ini';
import { ADDON_NAMESPACE, K8sObject, findObject, renderChart, runHelm } from '../support/helm';
import { kubeconformAll, removePreparedSchemas } from './support/kubeconform';
import { kubeLinter } from './support/kube-linter';
import { podSpec } from './support/workloads';

const AGENT_NS = 'harvester-network-monitoring-agent';
const STACK_NS = 'harvester-network-monitoring';
const POD_NS_DEFAULTS = { enabled: false, interfaceRegex: '^(net[0-9]+|pod[0-9a-f]{11})$', ringBlocks: 16 };

const VARIANTS = {
  macvlan:             { agent: { secondaryNics: { type: 'macvlan', parentInterfaces: ['eth1', 'bond0.100'], podNamespaces: POD_NS_DEFAULTS } } },
  'ipvlan-namespaces': {
    agent: { secondaryNics: { type: 'ipvlan', parentInterfaces: ['ens5'], podNamespaces: { ...POD_NS_DEFAULTS, enabled: true, ringBlocks: 32 } } }
  },
  'macvlan-namespaces': { agent: { secondaryNics: { type: 'macvlan', parentInterfaces: [], podNamespaces: { ...POD_NS_DEFAULTS, enabled: true } } } },
  'load-balancer':      { agent: { server: { address: '192.168.10.50', port: 30035 } } },
  'load-balancer-v6':   { agent: { server: { address: 'fd00::50', port: null } } },
  'watcher-node':       { agent: { watcher: { nodeName: 'harvester-node-2', nodeSelector: { 'node-role.kubernetes.io/control-plane': 'true' } } } },
  'grafana-nodeport':   {
    grafana: { service: { type: 'NodePort' }, security: { contentSecurityPolicy: true, frameAncestors: ['https://rancher.example.com'], cookieSameSite: 'lax' } }
  },
  'grafana-ingress-tls': { grafana: { ingress: { enabled: true, hosts: ['grafana.example.com'], path: '/grafana', tlsSecretName: 'grafana-tls' } } },
  'grafana-csp-off':     { grafana: { security: { contentSecurityPolicy: false, frameAncestors: [], cookieSameSite: 'strict' } } },
} as const;

type Name = keyof typeof VARIANTS | 'defaults';

const cache = new Map<Name, { yaml: string; objects: K8sObject[] }>();

function rendered(name: Name) {
  if (!cache.has(name)) {
    cache.set(name, renderChart({ values: name === 'defaults' ? {} : VARIANTS[name] as Record<string, unknown>, namespace: ADDON_NAMESPACE }));
  }

  return cache.get(name) as { yaml: string; objects: K8sObject[] };
}

const NAMES = Object.keys(VARIANTS) as (keyof typeof VARIANTS)[];
const groupConfig = (name: Name) => load(findObject(rendered(name).objects, 'ConfigMap', 'hnm-configurator', STACK_NS).data['agent-group-config.yaml']) as any;
const agentFile = (name: Name, cm: string) => load(findObject(rendered(name).objects, 'ConfigMap', cm, AGENT_NS).data['deepflow-agent.yaml']) as any;
const grafanaIni = (name: Name) => findObject(rendered(name).objects, 'ConfigMap', 'hnm-grafana', STACK_NS).data['grafana.ini'] as string;

/** grafana.ini as section -> key -> value (Grafana's own syntax: last value wins, ; and # start comments). */
function ini(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = '';

  text.split('\n').map((l) => l.trim()).filter((l) => l && !/^[#;]/.test(l)).forEach((line) => {
    const header = /^\[(.+)\]$/.exec(line);

    if (header) {
      section = header[1];
      out[section] = out[section] || {};
    } else {
      const eq = line.indexOf('=');

      out[section][line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
  });

  return out;
}

describe('MACVlan / IPVlan secondary NICs (agent group configuration)', () => {
  it('leaves the capture mode to DeepFlow (Local) and the interface list alone by default', () => {
    const cbpf = groupConfig('defaults').inputs.cbpf;

    expect(cbpf.common).toBeUndefined();
    expect(cbpf.af_packet).toEqual({ interface_regex: '^(mgmt-br|mgmt-bo|[a-zA-Z0-9_.-]+-br|[a-zA-Z0-9_.-]+-bo|cali.*|veth.*|tap.*|eth.*|en[osipx].*)$' });
  });

  it('macvlan: Virtual Mirror mode (capture_mode 1) and the parent NICs added, dots escaped', () => {
    const cbpf = groupConfig('macvlan').inputs.cbpf;
    const regex = new RegExp(cbpf.af_packet.interface_regex);

    expect(cbpf.common).toEqual({ capture_mode: 1 });
    expect(cbpf.af_packet.inner_interface_capture_enabled).toBeUndefined();
    expect(['eth1', 'bond0.100', 'mgmt-br', 'tap0'].filter((n) => regex.test(n))).toEqual(['eth1', 'bond0.100', 'mgmt-br', 'tap0']);
    expect(regex.test('bond0x100')).toBe(false);
  });

  it('pod namespaces: Local mode, namespace capture with the pod interface regex and a bounded ring per namespace', () => {
    for (const name of ['ipvlan-namespaces', 'macvlan-namespaces'] as const) {
      const cbpf = groupConfig(name).inputs.cbpf;

      // DeepFlow 7.1.8 captures other namespaces only in capture_mode 0 (agent/src/dispatcher/mod.rs).
      expect({ name, common: cbpf.common }).toEqual({ name, common: { capture_mode: 0 } });
      expect(cbpf.af_packet).toMatchObject({
        inner_interface_capture_enabled: true,
        inner_interface_regex:           POD_NS_DEFAULTS.interfaceRegex,
        tunning:                         { ring_blocks_enabled: true, ring_blocks: name === 'ipvlan-namespaces' ? 32 : 16 },
      });
    }
    expect(new RegExp(groupConfig('ipvlan-namespaces').inputs.cbpf.af_packet.interface_regex).test('ens5')).toBe(true);
  });

  it('lets agent.groupConfig override what the chart sets', () => {
    const objects = renderChart({ values: { agent: { ...VARIANTS.macvlan.agent, groupConfig: { inputs: { cbpf: { common: { capture_mode: 0 } } } } } } }).objects;
    const cfg = load(findObject(objects, 'ConfigMap', 'hnm-configurator', STACK_NS).data['agent-group-config.yaml']) as any;

    expect(cfg.inputs.cbpf.common).toEqual({ capture_mode: 0 });
    expect(cfg.inputs.cbpf.af_packet.interface_regex).toContain('|eth1|bond0\\.100)$');
  });

  it('rejects namespace capture without CAP_SYS_ADMIN, bad interface names and an unknown type (values.schema.json)', () => {
    const bad = [
      { capabilityMode: 'bpfPerfmon', secondaryNics: { type: 'ipvlan', parentInterfaces: [], podNamespaces: { ...POD_NS_DEFAULTS, enabled: true } } },
      { secondaryNics: { type: 'macvlan', parentInterfaces: ['eth 1'], podNamespaces: POD_NS_DEFAULTS } },
      { secondaryNics: { type: 'macvlan', parentInterfaces: ['an-interface-name-too-long'], podNamespaces: POD_NS_DEFAULTS } },
      { secondaryNics: { type: 'sriov', parentInterfaces: [], podNamespaces: POD_NS_DEFAULTS } },
      { secondaryNics: { type: '', parentInterfaces: [], podNamespaces: { ...POD_NS_DEFAULTS, ringBlocks: 4 } } },
    ];

    bad.forEach((agent) => {
      const r = runHelm('template', { values: { agent } });

      expect({ agent, ok: r.ok }).toEqual({ agent, ok: false });
      expect(r.stderr).toMatch(/schema/);
    });
  });
});

describe('agents that register through a load balancer', () => {
  it('points both the node agents and the watcher at the load balancer, keeping the group addresses to DeepFlow', () => {
    ['hnm-agent', 'hnm-watcher'].forEach((cm) => {
      expect(agentFile('load-balancer', cm)).toMatchObject({ 'controller-ips': ['192.168.10.50'], 'controller-port': 30035 });
      expect(agentFile('load-balancer-v6', cm)).toMatchObject({ 'controller-ips': ['fd00::50'], 'controller-port': 20035 });
      expect(agentFile('defaults', cm)).toMatchObject({ 'controller-ips': ['hnm-server.harvester-network-monitoring.svc.cluster.local'], 'controller-port': 20035 });
    });
    // DeepFlow 7.1.8 replaces proxy_controller_ip/ingester_ip for agents of its own cluster (sync_push.go), so the
    // chart does not write them.
    expect(groupConfig('load-balancer').global).toEqual({ limits: { max_memory: 768, max_millicpus: 1000 } });
  });

  it('accepts IP addresses only', () => {
    ['lb.example.com', '192.168.10.50:30035'].forEach((address) => {
      expect({ address, ok: runHelm('template', { values: { agent: { server: { address } } } }).ok }).toEqual({ address, ok: false });
    });
  });
});

describe('the Kubernetes API watcher on a chosen node', () => {
  it('selects the node by its hostname label next to any other selector; any node by default', () => {
    const spec = (name: Name) => podSpec(findObject(rendered(name).objects, 'Deployment', 'hnm-watcher', AGENT_NS));

    expect(spec('watcher-node').nodeSelector).toEqual({ 'kubernetes.io/hostname': 'harvester-node-2', 'node-role.kubernetes.io/control-plane': 'true' });
    expect(spec('defaults').nodeSelector).toBeUndefined();
    // The node agents are not moved by it.
    expect(podSpec(findObject(rendered('watcher-node').objects, 'DaemonSet', 'hnm-agent', AGENT_NS)).nodeSelector).toBeUndefined();
  });
});

describe('Grafana browser hardening (grafana.ini, Grafana 10.4 keys)', () => {
  it('sends a nonce-based CSP that only Grafana\'s own origin (Rancher\'s, through the proxy) may frame', () => {
    const sec = ini(grafanaIni('defaults')).security;
    const template = sec.content_security_policy_template.replace(/^"""|"""$/g, '');
    const directives = Object.fromEntries(template.split(';').filter(Boolean).map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));

    expect(sec.content_security_policy).toBe('true');
    expect(directives['script-src']).toContain('$NONCE');
    expect(directives['script-src']).toContain('\'strict-dynamic\'');
    expect(directives['frame-ancestors']).toBe('\'self\'');
    expect(directives['object-src']).toBe('\'none\'');
    expect(directives['connect-src']).toBe('\'self\'');
    expect(ini(grafanaIni('grafana-nodeport')).security.content_security_policy_template).toContain('frame-ancestors \'self\' https://rancher.example.com;');
    expect(ini(grafanaIni('grafana-csp-off')).security.content_security_policy).toBe('false');
  });

  it('keeps sanitising on, viewers read-only, plugins and snapshots out of the UI', () => {
    const g = ini(grafanaIni('defaults'));

    expect(g.panels.disable_sanitize_html).toBe('false');
    expect(g.users).toMatchObject({ viewers_can_edit: 'false', editors_can_admin: 'false', allow_sign_up: 'false' });
    expect(g['auth.anonymous'].org_role).toBe('Viewer');
    expect(g.plugins.plugin_admin_enabled).toBe('false');
    expect(g.snapshots).toMatchObject({ enabled: 'false', external_enabled: 'false' });
    expect(g.security).toMatchObject({ disable_gravatar: 'true', allow_embedding: 'true' });
  });

  it.each([
    ['defaults', 'strict', 'true'],
    ['grafana-ingress-tls', 'strict', 'true'],
    ['grafana-nodeport', 'lax', 'false'],
  ] as const)('%s: cookie_samesite %s, cookie_secure %s (Secure only where every browser uses HTTPS)', (name, sameSite, secure) => {
    expect(ini(grafanaIni(name)).security).toMatchObject({ cookie_samesite: sameSite, cookie_secure: secure });
  });

  it('narrows Grafana\'s cookie path to the proxy prefix of the page that sent the request', () => {
    const nginx = findObject(rendered('defaults').objects, 'ConfigMap', 'hnm-grafana', STACK_NS).data['nginx.conf'] as string;
    const rule = /"~(.+)" "\$hnm_proxy\/";/.exec(nginx)?.[1] as string;
    // nginx (PCRE) named group syntax (?<name>...) is also JavaScript's.
    const prefix = (referer: string) => new RegExp(rule).exec(referer)?.groups?.hnm_proxy;

    expect(nginx).toContain('proxy_cookie_path / $hnm_cookie_path;');
    expect(prefix('https://rancher.example.com/k8s/clusters/c-m-4x7k2/api/v1/namespaces/harvester-network-monitoring/services/http:hnm-grafana:80/proxy/d/x?orgId=1'))
      .toBe('/k8s/clusters/c-m-4x7k2/api/v1/namespaces/harvester-network-monitoring/services/http:hnm-grafana:80/proxy');
    expect(prefix('https://rancher.example.com/api/v1/namespaces/ns/services/http:hnm-grafana:80/proxy/login')).toBe('/api/v1/namespaces/ns/services/http:hnm-grafana:80/proxy');
    expect(prefix('https://rancher.example.com/dashboard/harvester/c/c-m-4x7k2/network')).toBeUndefined();
  });

  it('leaves only the residual-risk statement for the Security Review, and flags a CSP turned off', () => {
    const ids = (name: Name) => grafanaIniFindings(grafanaIni(name), { kind: 'ConfigMap', name: 'hnm-grafana', namespace: STACK_NS }, 'hnm-grafana/grafana.ini')
      .map((f) => `${ f.severity } ${ f.id }`);

    expect(ids('defaults')).toEqual(['info exposure.grafanaSameOriginFrame']);
    expect(ids('grafana-nodeport')).toEqual(['info exposure.grafanaSameOriginFrame']);
    expect(ids('grafana-csp-off')).toEqual(['info exposure.grafanaSameOriginFrame', 'warning exposure.grafanaCspOff', 'warning exposure.grafanaFramedAnywhere']);
  });
});

describe('validation of the new variants', () => {
  afterAll(removePreparedSchemas);

  it('every object of every new variant is valid against the Kubernetes schemas (kubeconform, strict)', () => {
    const results = kubeconformAll(Object.fromEntries(NAMES.map((name) => [name, rendered(name)])));

    NAMES.forEach((name) => expect({ name, problems: results[name].problems, ok: results[name].ok }).toEqual({ name, problems: [], ok: true }));
  }, 120000);

  it.each(NAMES)('kube-linter finds nothing in %s', (name) => {
    const r = kubeLinter(rendered(name).yaml);

    expect(r.findings).toEqual([]);
    expect(r.ok).toBe(true);
  });
});
