import { readFileSync } from 'fs';
import { join } from 'path';
import { load } from 'js-yaml';
import IntlMessageFormat from 'intl-messageformat';
import {
  FINDING_IDS, detectDrift, exportMarkdown, findingTextKey, reviewObjects
} from '@pkg/domain/security';
import { Finding } from '@pkg/domain/security/types';
import { NODE_CIDRS, goodObjects, seedObjects } from './fixtures';
import {
  Json, clone, namespace, psaLabels, workload
} from './helpers';

/**
 * Every finding the engine can emit has English title/explanation/fix strings that format with
 * the parameters it carries (the shell formats them with intl-messageformat, which throws on a
 * missing parameter). A kitchen-sink object set triggers every id.
 */

const l10n = load(readFileSync(join(__dirname, '../../../pkg/harvester-network-monitoring/l10n/en-us.yaml'), 'utf8')) as Json;

function lookup(key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Json)[part] : undefined), l10n);
}

function translate(key: string, params?: Record<string, string | number>): string {
  const msg = lookup(key);

  if (typeof msg !== 'string') {
    throw new Error(`missing l10n key ${ key }`);
  }

  return String(new IntlMessageFormat(msg, 'en-US').format(params || {}));
}

const NS = 'sink';

function everythingPod(): Json {
  return {
    hostNetwork:     false,
    hostPID:         true,
    securityContext: {
      windowsOptions:  { hostProcess: true },
      seccompProfile:  { type: 'Unconfined' },
      runAsNonRoot:    false,
      runAsUser:       0,
      sysctls:         [{ name: 'kernel.msgmax', value: '1' }],
      seLinuxOptions:  { type: 'spc_t' },
      appArmorProfile: { type: 'Unconfined' },
    },
    containers: [{
      name:            'c',
      image:           'nginx',
      ports:           [{ containerPort: 3000, hostPort: 3000, name: 'http' }],
      readinessProbe:  { httpGet: { port: 3000, host: '10.0.0.1' } },
      env:             [{ name: 'DB_PASSWORD', value: 'changeme' }, { name: 'API_TOKEN', value: 'x9-Lk2' }, { name: 'GF_AUTH_ANONYMOUS_ENABLED', value: 'true' }],
      securityContext: { privileged: true, procMount: 'Unmasked', capabilities: { add: ['SYS_ADMIN'] } },
    }, { name: 'latest', image: 'nginx:latest', resources: { requests: { cpu: '1m' } } }],
    volumes: [{ name: 'root', hostPath: { path: '/' } }],
  };
}

function kitchenSink(): Json[] {
  const role = (name: string, rules: Json[]) => ({ kind: 'ClusterRole', metadata: { name }, rules });
  const bind = (name: string, roleName: string, roleKind = 'ClusterRole') => ({
    kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { kind: roleKind, name: roleName }, subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: NS }]
  });

  return [
    namespace(NS, psaLabels('baseline', 'restricted')),
    namespace('relaxed', psaLabels('privileged', 'baseline')),
    namespace('typo', psaLabels('strictest')),
    namespace('plain'),
    namespace('exempt'),
    workload('Deployment', 'everything', NS, everythingPod(), { labels: { app: 'everything' } }),
    workload('Deployment', 'warned', 'relaxed', { containers: [{ name: 'c', image: 'x:1', ports: [{ containerPort: 1, hostPort: 1 }] }] }),
    workload('Deployment', 'a', 'typo', { containers: [{ name: 'c', image: 'x:1' }] }),
    workload('Deployment', 'b', 'plain', { containers: [{ name: 'c', image: 'x:1' }] }),
    workload('Deployment', 'c', 'exempt', { containers: [{ name: 'c', image: 'x:1' }] }),
    workload('Deployment', 'd', 'nowhere', { containers: [{ name: 'c', image: 'x:1' }] }),
    workload('DaemonSet', 'agent', NS, { hostNetwork: true, containers: [{ name: 'a', image: 'x:1' }] }, { labels: { app: 'agent' } }),
    workload('Deployment', 'querier', NS, { containers: [{ name: 'q', image: 'x:1', ports: [{ containerPort: 20416 }] }] }, { labels: { app: 'querier' } }),
    workload('Deployment', 'half', NS, { containers: [{ name: 'h', image: 'x:1', ports: [{ containerPort: 3000 }] }] }, { labels: { app: 'half' } }),
    {
      kind: 'NetworkPolicy', metadata: { name: 'querier', namespace: NS }, spec: { podSelector: { matchLabels: { app: 'querier' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'agent' } } }], ports: [{ port: 20416 }, { port: 'grpc' }] }] }
    },
    {
      kind: 'NetworkPolicy', metadata: { name: 'half', namespace: NS }, spec: { podSelector: { matchLabels: { app: 'half' } }, ingress: [{ from: [{ ipBlock: { cidr: '192.168.10.12/32' } }, { podSelector: { matchLabels: { app: 'agent' } } }], ports: [{ port: 3000 }] }] }
    },
    {
      kind: 'NetworkPolicy', metadata: { name: 'wide', namespace: NS }, spec: { podSelector: { matchLabels: { app: 'everything' } }, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }, { from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 2 }] }, { ports: [{ port: 1 }] }], egress: [{ to: [{ podSelector: {} }], ports: [{ port: 443 }] }] }
    },
    { kind: 'NetworkPolicy', metadata: { name: 'stale', namespace: NS }, spec: { podSelector: { matchLabels: { app: 'gone' } } } },
    { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'vm', namespace: 'plain' }, spec: { template: { metadata: { labels: { app: 'vm' } } } } },
    {
      kind: 'Service', metadata: { name: 'np', namespace: NS }, spec: { type: 'NodePort', ports: [{ port: 80 }] }
    },
    {
      kind: 'Service', metadata: { name: 'lb', namespace: NS }, spec: { type: 'LoadBalancer', ports: [{ port: 443 }], externalIPs: ['203.0.113.1'] }
    },
    // An external ClickHouse (Endpoints of a selectorless Service), an external MySQL in DeepFlow's server.yaml
    // and a Secret the workloads read but nobody installs.
    { kind: 'Service', metadata: { name: 'ext-db', namespace: NS }, spec: { ports: [{ name: 'tcp-port', port: 9000 }] } },
    { kind: 'Endpoints', metadata: { name: 'ext-db', namespace: NS }, subsets: [{ addresses: [{ ip: '192.0.2.11' }], ports: [{ name: 'tcp-port', port: 9000 }] }] },
    { kind: 'ConfigMap', metadata: { name: 'deepflow', namespace: NS }, data: { 'server.yaml': 'controller:\n  mysql:\n    host: db.example.com\n    port: 3306\n' } },
    workload('Deployment', 'reads-secret', NS, { containers: [{ name: 'c', image: 'x:1', env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'made-elsewhere', key: 'password' } } }] }] }),
    { kind: 'Service', metadata: { name: 'hnm-server', namespace: NS }, spec: { ports: [{ name: 'agent-state', port: 20419, targetPort: 'agent-state' }] } },
    { kind: 'Ingress', metadata: { name: 'plain', namespace: NS }, spec: { rules: [{ host: 'a.example.com' }] } },
    { kind: 'Ingress', metadata: { name: 'tls', namespace: NS }, spec: { rules: [{ host: 'b.example.com' }], tls: [{ hosts: ['b.example.com'] }] } },
    { kind: 'ConfigMap', metadata: { name: 'grafana', namespace: NS }, data: { 'grafana.ini': '[auth.anonymous]\nenabled = true\norg_role = Admin\n[security]\nallow_embedding = true\ncookie_samesite = none\n[panels]\ndisable_sanitize_html = true\n[users]\nviewers_can_edit = true\n', 'server.yaml': 'password: Q7-long\nuser-password: deepflow\n' } },
    { kind: 'ServiceAccount', metadata: { name: 'sa', namespace: NS } },
    role('wild', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
    role('risky', [
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] },
      { apiGroups: [''], resources: ['nodes/proxy', 'pods/exec'], verbs: ['get'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['list'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['patch'] },
    ]),
    {
      kind: 'Role', metadata: { name: 'reader', namespace: NS }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }, { apiGroups: [''], resources: ['secrets'], resourceNames: ['x'], verbs: ['get'] }]
    },
    bind('wild', 'wild'), bind('risky', 'risky'), bind('admin', 'cluster-admin'), bind('missing', 'not-there'), bind('invalid', 'reader', 'Role'),
    {
      kind: 'RoleBinding', metadata: { name: 'reader', namespace: NS }, roleRef: { kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }]
    },
  ];
}

function driftFindings(): Finding[] {
  const base = [
    ...goodObjects(),
    { kind: 'ClusterRole', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
    { kind: 'ClusterRole', metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] } },
    { kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'ClusterRole', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'x', namespace: 'harvester-network-monitoring' }] },
    namespace('gone', psaLabels('baseline')),
  ];
  const live = clone(base).filter((o: Json) => !(o.kind === 'Namespace' && o.metadata.name === 'gone') && o.metadata.name !== 'deny-ingress');
  const byName = (kind: string, name: string) => live.find((o: Json) => o.kind === kind && o.metadata.name === name) as Json;

  byName('Namespace', 'harvester-network-monitoring').metadata.labels = psaLabels('baseline');
  byName('NetworkPolicy', 'grafana-ingress').spec.ingress = [];
  byName('ClusterRole', 'r').rules[0].verbs.push('delete');
  byName('ClusterRole', 'agg').aggregationRule = { clusterRoleSelectors: [] };
  byName('ClusterRoleBinding', 'b').subjects.push({ kind: 'User', name: 'eve' });
  live.push({ kind: 'RoleBinding', metadata: { name: 'new', namespace: 'harvester-network-monitoring' }, roleRef: { kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', name: 'eve' }] });

  return detectDrift(base, live);
}

function allFindings(): Finding[] {
  const options = { exemptNamespaces: ['exempt'] };

  return [
    ...reviewObjects(kitchenSink(), { ...options, nodeCIDRs: NODE_CIDRS }).findings,
    ...reviewObjects(kitchenSink(), options).findings,
    ...reviewObjects(seedObjects(), { nodeCIDRs: NODE_CIDRS }).findings,
    ...reviewObjects(goodObjects()).findings,
    ...driftFindings(),
  ];
}

describe('finding catalog and l10n', () => {
  const findings = allFindings();

  it('the kitchen sink triggers every catalogd id, and nothing outside the catalog', () => {
    const emitted = new Set(findings.map((f) => f.id));

    expect([...emitted].filter((id) => !FINDING_IDS.includes(id))).toEqual([]);
    expect(FINDING_IDS.filter((id) => !emitted.has(id))).toEqual([]);
  });
  it.each(FINDING_IDS.map((id) => [id]))('%s has title, explanation and fix', (id) => {
    for (const part of ['title', 'explanation', 'fix'] as const) {
      expect(typeof lookup(findingTextKey(id, part))).toBe('string');
    }
  });
  it('every emitted finding formats with its own parameters (no missing placeholder, valid ICU)', () => {
    for (const f of findings) {
      for (const part of ['title', 'explanation', 'fix'] as const) {
        expect(() => translate(findingTextKey(f.id, part), f.params)).not.toThrow();
      }
    }
  });
  it('the rendered text never contains an unfilled placeholder', () => {
    for (const f of findings) {
      expect(translate(findingTextKey(f.id, 'explanation'), f.params)).not.toMatch(/\{[a-zA-Z]+\}/);
    }
  });
  it('the Markdown report renders with the real strings', () => {
    const md = exportMarkdown(reviewObjects(seedObjects(), { nodeCIDRs: NODE_CIDRS }), translate, { title: 'seed' });

    expect(md).toContain('# Security review — seed');
    expect(md).toContain('Host-network pods admitted by pod selector');
    expect(md).toContain('| Critical |');
  });
});
