import {
  analyzeNetworkPolicies, detectDrift, effectivePermissions, exportJson, exportMarkdown, indexObjects, reviewObjects
} from '@pkg/domain/security';
import { MAX_PARAM_LENGTH } from '@pkg/domain/security/finding';
import { seedObjects } from './fixtures';
import { Json, namespace, psaLabels, workload } from './helpers';

/** Hostile strings and malformed input never crash the engine or leak markup; a few hundred objects review instantly. */

const HOSTILE = [
  '<script>alert(1)</script>', '"quoted" \'single\'', '`rm -rf /`', 'a|b|c', 'line1\nline2\r\nline3', '[link](javascript:alert(1))',
  '**bold** _it_', '${jndi:ldap://x}', '{{ .Values }}', '{name}', '\u0000\u001b[31m', '\u2028\u2029', 'x'.repeat(10000),
];

function hostileObjects(name: string): Json[] {
  const labels = { app: name, [name.slice(0, 100)]: name };

  return [
    namespace(name, { ...psaLabels('baseline'), other: name }),
    workload('Deployment', name, name, {
      hostPID:    true,
      containers: [{
        name,
        image:           `${ name }:latest`,
        env:             [{ name: `${ name }_PASSWORD`, value: name }],
        ports:           [{ containerPort: 3000, name }],
        securityContext: { capabilities: { add: [name] }, seccompProfile: { type: name } },
      }],
      volumes: [{ name, hostPath: { path: name } }],
    }, { labels, annotations: { [`container.apparmor.security.beta.kubernetes.io/${ name }`]: name } }),
    {
      kind: 'Service', metadata: { name, namespace: name }, spec: { type: 'NodePort', selector: labels, ports: [{ port: 80, targetPort: name }] }
    },
    {
      kind: 'NetworkPolicy', metadata: { name, namespace: name }, spec: { podSelector: { matchLabels: labels }, ingress: [{ from: [{ podSelector: { matchLabels: { a: name } } }, { ipBlock: { cidr: name } }], ports: [{ port: name }] }] }
    },
    { kind: 'ConfigMap', metadata: { name, namespace: name }, data: { [name]: name, 'grafana.ini': `[auth.anonymous]\nenabled=true\norg_role=${ name }` } },
    {
      kind: 'ClusterRole', metadata: { name, labels }, rules: [{ apiGroups: [name], resources: [name, 'secrets'], verbs: [name, 'list'] }]
    },
    {
      kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { kind: 'ClusterRole', name }, subjects: [{ kind: 'ServiceAccount', name, namespace: name }, { kind: 'Group', name }]
    },
    {
      kind: 'Ingress', metadata: { name, namespace: name }, spec: { rules: [{ host: name }] }
    },
  ];
}

describe('hostile strings', () => {
  it.each(HOSTILE.map((s, i) => [i, s]))('string #%i: no crash, params clipped, Markdown escaped', (_i, name) => {
    const result = reviewObjects(hostileObjects(name), { nodeCIDRs: ['10.0.0.1'] });

    expect(result.findings.length).toBeGreaterThan(5);
    for (const f of result.findings) {
      for (const v of Object.values(f.params)) {
        expect(String(v).length).toBeLessThanOrEqual(MAX_PARAM_LENGTH + 1);
      }
      expect(f.object.name.length).toBeLessThanOrEqual(MAX_PARAM_LENGTH + 1);
    }
    const md = exportMarkdown(result, (key, params) => `${ key } ${ JSON.stringify(params || {}) }`);
    const tableRows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| networkMonitoring.security.report'));

    expect(md).not.toMatch(/<script/i);
    // eslint-disable-next-line no-control-regex -- finds control characters that leaked into the report
    expect(md).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u2028\u2029]/);
    for (const row of tableRows) {
      // Unescaped pipes are only the cell separators: 6 for the findings table, 5 for the summary table.
      const separators = (row.match(/(^|[^\\])(\\\\)*\|/g) || []).length;

      expect([5, 6]).toContain(separators);
    }
    expect(() => JSON.parse(exportJson(result))).not.toThrow();
  });
});

describe('malformed input', () => {
  const junk: unknown[] = [
    null, undefined, 0, 42, NaN, 'string', true, [], [[[[[[[[]]]]]]]], {}, { kind: 5 }, { kind: 'Pod' }, { kind: 'Pod', metadata: [] },
    { kind: 'Pod', metadata: { name: 'p' }, spec: null }, { kind: 'Pod', metadata: { name: 'p2' }, spec: [] },
    { kind: 'Pod', metadata: { name: 'p3', labels: [1, 2], annotations: 'x' }, spec: { containers: { name: 'c' }, volumes: 'v', securityContext: [] } },
    { kind: 'Pod', metadata: { name: 'p4' }, spec: { containers: [null, 1, 'x', { name: 5, securityContext: 'sc', ports: [{ containerPort: '80' }, null] }] } },
    { kind: 'Deployment', metadata: { name: 'd' }, spec: { template: 'nope' } },
    { kind: 'Deployment', metadata: { name: 'd2' }, spec: { template: { spec: { containers: [{ name: 'c', env: 'x', resources: [] }] } } } },
    { kind: 'CronJob', metadata: { name: 'cj' }, spec: { jobTemplate: [] } },
    { kind: 'Namespace', metadata: { name: 'n', labels: { 'pod-security.kubernetes.io/enforce': ['restricted'] } } },
    { kind: 'NetworkPolicy', metadata: { name: 'np' }, spec: { podSelector: 'all', ingress: [null, { from: 'x', ports: [{ port: {} }] }], egress: {}, policyTypes: 'Ingress' } },
    { kind: 'NetworkPolicy', metadata: { name: 'np2' }, spec: { podSelector: { matchLabels: { a: 1 } }, ingress: [{ from: [{ ipBlock: { cidr: 5, except: 'x' } }] }] } },
    { kind: 'ClusterRole', metadata: { name: 'cr' }, rules: 'all', aggregationRule: { clusterRoleSelectors: [null, 'x'] } },
    { kind: 'RoleBinding', metadata: { name: 'rb' }, roleRef: null, subjects: 'me' },
    { kind: 'ClusterRoleBinding', metadata: { name: 'crb' }, roleRef: { kind: 'ClusterRole', name: 'cr' }, subjects: [null, { kind: 'ServiceAccount' }, { kind: 'Group', name: 7 }] },
    { kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort', ports: 'x', externalIPs: {} } },
    { kind: 'Ingress', metadata: { name: 'i' }, spec: { rules: {}, tls: [null] } },
    { kind: 'Secret', metadata: { name: 'sec' }, data: { password: '%%%', token: 12, 'mysql-password': 'ZGVlcGZsb3c=' } },
    { kind: 'ConfigMap', metadata: { name: 'cm' }, data: { 'grafana.ini': 42, password: null } },
    { kind: 'List', items: [{ kind: 'Pod', metadata: { name: 'from-list' }, spec: { containers: [{ name: 'c', image: 'x' }] } }, 'garbage'] },
  ];

  it('reviewObjects never throws and still finds what is valid', () => {
    const result = reviewObjects(junk);

    expect(result.findings.some((f) => f.object.name === 'from-list')).toBe(true);
    expect(result.findings.some((f) => f.id === 'exposure.defaultPassword' && f.object.name === 'sec')).toBe(true);
  });
  it.each([null, undefined, 42, 'x', {}, { analyses: 'pss' }, { nodeCIDRs: 'x', focusNamespaces: 5 }])('accepts options %p', (options) => {
    expect(() => reviewObjects(seedObjects(), options as any)).not.toThrow();
  });
  it('accepts non-array input everywhere', () => {
    for (const input of [null, undefined, 5, 'x', { kind: 'Pod' }]) {
      expect(() => reviewObjects(input as any)).not.toThrow();
      expect(() => effectivePermissions(input as any)).not.toThrow();
      expect(() => analyzeNetworkPolicies(indexObjects(input))).not.toThrow();
      expect(() => detectDrift(input as any, input as any)).not.toThrow();
    }
  });
  it('survives a cyclic object (a YAML alias loop)', () => {
    const spec: Json = { podSelector: {} };

    spec.self = spec;
    const policyA = { kind: 'NetworkPolicy', metadata: { name: 'a', namespace: 'x' }, spec };
    const policyB = { kind: 'NetworkPolicy', metadata: { name: 'a', namespace: 'x' }, spec: { podSelector: {}, other: spec } };

    expect(() => reviewObjects([policyA])).not.toThrow();
    expect(() => detectDrift([policyA], [policyB])).not.toThrow();
  });
  it('ignores __proto__ keys in labels and selectors', () => {
    const labels = JSON.parse('{"__proto__": {"polluted": "yes"}, "app": "x"}');
    const objects = [workload('Deployment', 'p', 'ns', { containers: [{ name: 'c', image: 'x:1' }] }, { labels })];

    expect(() => reviewObjects(objects)).not.toThrow();
    expect(({} as Json).polluted).toBeUndefined();
  });
});
