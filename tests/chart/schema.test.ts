/**
 * values.schema.json (and the chart's cross-field checks) reject bad values before anything reaches the cluster,
 * with a message that names the value and what is wrong.
 */
import { readFileSync } from 'fs';
import path from 'path';
import { load } from 'js-yaml';
import { MONITORING_CHART, runHelm } from '../support/helm';

function rejection(values: Record<string, unknown>): string {
  const r = runHelm('template', { values });

  if (r.ok) {
    throw new Error(`helm accepted ${ JSON.stringify(values) }`);
  }

  return r.stderr;
}

const SCHEMA_ERROR = "values don't meet the specifications of the schema(s)";

describe('values.schema.json', () => {
  it.each([
    ['server replicas below 1', { server: { replicas: 0 } }, "at '/server/replicas': minimum: got 0, want 1"],
    ['server replicas above 5', { server: { replicas: 9 } }, "at '/server/replicas': maximum: got 9, want 5"],
    ['replicas as a string', { server: { replicas: 'three' } }, "at '/server/replicas': got string, want integer"],
    ['unknown sizing profile', { sizing: { profile: 'huge' } }, "at '/sizing/profile': value must be one of 'small', 'medium'"],
    ['an unpinned image tag', { agent: { image: { tag: 'latest' } } }, "at '/agent/image/tag': 'latest' does not match pattern '^(a pinned version, not latest)$'"],
    ['a malformed image tag', { grafana: { image: { tag: 'v1 2' } } }, "at '/grafana/image/tag': 'v1 2' does not match pattern"],
    ['a volume size without binary unit', { clickhouse: { persistence: { size: '20GB' } } }, "at '/clickhouse/persistence/size': '20GB' does not match pattern"],
    ['a TTL of 0 hours', { retention: { flowLogHours: 0 } }, "at '/retention/flowLogHours': minimum: got 0, want 1"],
    ['a TTL over a year', { retention: { flowMetrics1mHours: 9000 } }, "at '/retention/flowMetrics1mHours': maximum: got 9,000, want 8,760"],
    ['an unanchored interface regex', { agent: { interfaceRegex: 'eth0' } }, "at '/agent/interfaceRegex': 'eth0' does not match pattern"],
    ['an unknown capability mode', { agent: { capabilityMode: 'privileged' } }, "at '/agent/capabilityMode': value must be one of 'sysAdmin', 'bpfPerfmon'"],
    ['the whole IPv4 space as node CIDR', { networkPolicy: { nodeCIDRs: ['0.0.0.0/0'] } },
      "at '/networkPolicy/nodeCIDRs/0': '0.0.0.0/0' does not match pattern '^(a CIDR narrower than the whole address space)$'"],
    ['the whole IPv6 space as API server CIDR', { networkPolicy: { apiServerCIDRs: ['::/0'] } }, "at '/networkPolicy/apiServerCIDRs/0': '::/0' does not match pattern '^(a CIDR narrower"],
    ['a malformed CIDR', { networkPolicy: { nodeCIDRs: ['10.1.2.3/33'] } }, "at '/networkPolicy/nodeCIDRs/0': 'anyOf' failed"],
    ['no node CIDR at all', { networkPolicy: { nodeCIDRs: [] } }, "at '/networkPolicy/nodeCIDRs': minItems: got 0, want 1"],
    ['a short password', { mysql: { auth: { rootPassword: 'short' } } }, "at '/mysql/auth/rootPassword': 'short' does not match pattern"],
    ['a password with characters DeepFlow rejects', { clickhouse: { auth: { password: 'abcdefghijklmnop#@' } } }, "at '/clickhouse/auth/password'"],
    ['a LoadBalancer Service', { grafana: { service: { type: 'LoadBalancer' } } }, "at '/grafana/service/type': value must be one of 'ClusterIP', 'NodePort'"],
    ['a node port outside 30000-32767', { grafana: { service: { type: 'NodePort', nodePort: 80 } } }, "at '/grafana/service/nodePort'"],
    ['an Ingress path without leading slash', { grafana: { ingress: { enabled: true, path: 'grafana' } } }, "at '/grafana/ingress/path': 'grafana' does not match pattern"],
    ['an invalid namespace name', { namespaces: { agent: 'Agent_NS' } }, "at '/namespaces/agent': 'Agent_NS' does not match pattern"],
    ['resources with requests only', { server: { resources: { requests: { cpu: '1', memory: '1Gi' } } } }, "at '/server/resources': 'anyOf' failed"],
    ['a memory quantity without unit', { mysql: { resources: { requests: { cpu: '1', memory: '1024' }, limits: { cpu: '1', memory: '2Gi' } } } }, "at '/mysql/resources'"],
    ['a misspelt top-level key', { netwrokPolicy: { enabled: false } }, "additional properties 'netwrokPolicy' not allowed"],
    ['a misspelt nested key', { grafana: { anonymus: { enabled: true } } }, "at '/grafana': additional properties 'anonymus' not allowed"],
    ['a non-boolean switch', { networkPolicy: { enabled: 'no' } }, "at '/networkPolicy/enabled': got string, want boolean"],
  ])('rejects %s', (_what, values, message) => {
    const err = rejection(values);

    expect(err).toContain(SCHEMA_ERROR);
    expect(err).toContain(message);
  });

  it('accepts the chart defaults and the values the install wizard builds', () => {
    expect(runHelm('template', {}).ok).toBe(true);
    expect(runHelm('template', {
      values: {
        global:     { storageClass: 'longhorn' },
        retention:  { flowMetrics1mHours: 336, flowLogHours: 24 },
        server:     { replicas: 3 },
        clickhouse: { persistence: { size: '50Gi' } },
        mysql:      { persistence: { size: '5Gi' } },
        agent:      { interfaceRegex: '^(mgmt-br|eth.*)$', nodeNames: ['node-1'], groupConfig: { global: { limits: { max_memory: 1024 } } } },
        sizing:     { profile: 'small' },
        grafana:    {
          admin:     { user: 'admin', existingSecret: 'hnm-grafana-admin-custom' },
          anonymous: { enabled: true },
          service:   { type: 'NodePort', nodePort: 31999 },
          ingress:   { enabled: false },
        },
      }
    }).stderr).toBe('');
  });

  it('lets Rancher add its own global keys', () => {
    expect(runHelm('template', { values: { global: { cattle: { clusterId: 'c-m-abc', systemDefaultRegistry: '' } } } }).ok).toBe(true);
  });

  it('describes every property, so the schema documents the values', () => {
    const schema = JSON.parse(readFileSync(path.join(MONITORING_CHART, 'values.schema.json'), 'utf8'));
    const undocumented: string[] = [];
    const walk = (node: any, at: string) => {
      Object.entries(node.properties || {}).forEach(([key, child]: [string, any]) => {
        if (!child.description && !child.$ref) {
          undocumented.push(`${ at }.${ key }`);
        }
        walk(child, `${ at }.${ key }`);
      });
    };

    walk(schema, '');
    expect(undocumented).toEqual([]);
  });

  it('knows every key of values.yaml (no value escapes validation)', () => {
    const schema = JSON.parse(readFileSync(path.join(MONITORING_CHART, 'values.schema.json'), 'utf8'));
    const values = load(readFileSync(path.join(MONITORING_CHART, 'values.yaml'), 'utf8')) as Record<string, any>;
    const resolve = (node: any) => (node?.$ref ? schema.definitions[node.$ref.split('/').pop()] : node);
    const unknown: string[] = [];
    const walk = (value: any, node: any, at: string) => {
      const n = resolve(node);

      if (!n || typeof value !== 'object' || value === null || Array.isArray(value) || !n.properties) {
        return;
      }
      Object.entries(value).forEach(([key, child]) => {
        if (!n.properties[key]) {
          unknown.push(`${ at }.${ key }`);
        } else {
          walk(child, n.properties[key], `${ at }.${ key }`);
        }
      });
    };

    walk(values, schema, '');
    expect(unknown).toEqual([]);
  });
});

describe('cross-field checks (templates/validate.yaml)', () => {
  it.each([
    ['one namespace for agent and stack', { namespaces: { agent: 'monitoring', stack: 'monitoring' } }, 'namespaces.agent and namespaces.stack must differ'],
    ['a TLS secret without hosts', { grafana: { ingress: { enabled: true, tlsSecretName: 'tls' } } }, 'grafana.ingress.hosts must list the host names'],
    ['a node port on a ClusterIP Service', { grafana: { service: { type: 'ClusterIP', nodePort: 31000 } } }, 'grafana.service.nodePort is only used with grafana.service.type=NodePort'],
    ['VM tagging without the configurator', { configurator: { enabled: false } }, 'kubevirtTagging.enabled needs configurator.enabled'],
  ])('rejects %s', (_what, values, message) => {
    expect(rejection(values)).toContain(message);
  });
});

describe('questions.yaml (Rancher install form)', () => {
  const questions = (load(readFileSync(path.join(MONITORING_CHART, 'questions.yaml'), 'utf8')) as any).questions as any[];
  const values = load(readFileSync(path.join(MONITORING_CHART, 'values.yaml'), 'utf8')) as Record<string, any>;
  const all = questions.flatMap((q) => [q, ...(q.subquestions || [])]);
  const valueAt = (variable: string) => variable.replace(/\[(\d+)\]/g, '.$1').split('.')
    .reduce<any>((node, key) => (node !== undefined && node !== null ? node[key] : undefined), values);

  it('asks only for values the chart has', () => {
    const unknown = all.map((q) => q.variable).filter((v) => !v.includes('[') && valueAt(v) === undefined);

    expect(unknown).toEqual([]);
  });

  it('offers the chart defaults as the form defaults', () => {
    const differing = all.filter((q) => q.default !== undefined && !q.variable.includes('['))
      .filter((q) => JSON.stringify(q.default) !== JSON.stringify(valueAt(q.variable)))
      .map((q) => `${ q.variable }: form ${ JSON.stringify(q.default) } vs values ${ JSON.stringify(valueAt(q.variable)) }`);

    expect(differing).toEqual([]);
  });
});
