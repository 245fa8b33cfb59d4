import { reviewObjects } from '@pkg/domain/security';
import { anonymousFromIni } from '@pkg/domain/security/grafana-ini';
import { parseImage } from '@pkg/domain/security/exposure-workloads';
import { decodeBase64, findCredentials } from '@pkg/domain/security/secrets';
import { Finding } from '@pkg/domain/security/types';
import { seedObjects } from './fixtures';
import { Json, workload } from './helpers';

/** Exposure: Services, Ingresses, anonymous Grafana, plain-text and default credentials, image tags, resources. */

const NS = 'mon';
const exposure = (objects: Json[]) => reviewObjects(objects, { analyses: ['exposure'] }).findings;
const idsOf = (f: Finding[]) => f.map((x) => `${ x.severity } ${ x.id }`);
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function container(extra: Json = {}): Json {
  return {
    name: 'c', image: 'registry.example/app:1.2.3', resources: { requests: { cpu: '10m', memory: '10Mi' }, limits: { cpu: '1', memory: '1Gi' } }, ...extra
  };
}

const deployment = (c: Json) => workload('Deployment', 'app', NS, { containers: [c] });
const configMap = (name: string, data: Json) => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS }, data
});
const secret = (name: string, data: Json, stringData?: Json) => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: NS }, data, ...(stringData ? { stringData } : {})
});

describe('services and ingresses', () => {
  const svc = (spec: Json) => ({
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'grafana', namespace: NS }, spec
  });

  it('flags NodePort and LoadBalancer services with their ports, not ClusterIP', () => {
    expect(exposure([svc({ type: 'ClusterIP', ports: [{ port: 80 }] })])).toEqual([]);
    expect(exposure([svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })]).find((f) => f.id === 'exposure.nodePort')).toMatchObject({ id: 'exposure.nodePort', severity: 'warning', params: { ports: '80', nodePorts: '30080' } });
    expect(idsOf(exposure([svc({ type: 'LoadBalancer', ports: [{ port: 443 }], externalTrafficPolicy: 'Local' })]))).toEqual(['warning exposure.loadBalancer']);
    expect(idsOf(exposure([svc({ externalIPs: ['203.0.113.9'], ports: [{ port: 80 }] })]))).toEqual(['warning exposure.externalIPs']);
  });

  it('says when a node port hides client addresses (externalTrafficPolicy Cluster), so a node ipBlock admits every client', () => {
    const cluster = exposure([svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })]);

    expect(idsOf(cluster).sort()).toEqual(['warning exposure.clientAddressHidden', 'warning exposure.nodePort']);
    expect(cluster.find((f) => f.id === 'exposure.clientAddressHidden')?.params).toMatchObject({ service: 'grafana', policy: 'Cluster', nodePorts: '30080' });
    expect(idsOf(exposure([svc({ type: 'NodePort', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] })]))).toEqual(['warning exposure.nodePort']);
  });

  const ingress = (spec: Json) => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'grafana', namespace: NS }, spec
  });

  it('warns about an Ingress without TLS and notes one with TLS', () => {
    expect(exposure([ingress({ rules: [{ host: 'grafana.example.com' }] })])[0]).toMatchObject({ id: 'exposure.ingressNoTls', severity: 'warning', params: { hosts: 'grafana.example.com' } });
    expect(idsOf(exposure([ingress({ rules: [{ host: 'g.example.com' }], tls: [{ hosts: ['g.example.com'], secretName: 's' }] })]))).toEqual(['info exposure.ingressTls']);
  });
  it('warns about hosts the TLS section leaves out', () => {
    const f = exposure([ingress({ rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }], tls: [{ hosts: ['a.example.com'] }] })]);

    expect(f[0]).toMatchObject({ id: 'exposure.ingressNoTls', params: { hosts: 'b.example.com' } });
  });
});

describe('anonymous Grafana', () => {
  // The hardening findings of the same grafana.ini are pinned in grafana-hardening.test.ts.
  const anonymousOnly = (f: Finding[]) => f.filter((x) => x.id.startsWith('exposure.grafanaAnonymous'));

  it.each([
    ['[auth.anonymous]\nenabled = true\norg_role = Viewer\n', 'warning exposure.grafanaAnonymous', 'Viewer'],
    ['[auth.anonymous]\nenabled = true\n', 'warning exposure.grafanaAnonymous', 'Viewer'],
    ['[auth.anonymous]\nenabled = true\norg_role = Admin\n', 'critical exposure.grafanaAnonymousElevated', 'Admin'],
    ['[AUTH.ANONYMOUS]\n; comment\nEnabled = "true"\norg_role = Editor\n', 'critical exposure.grafanaAnonymousElevated', 'Editor'],
  ])('reads grafana.ini %#', (ini, id, role) => {
    const f = anonymousOnly(exposure([configMap('grafana', { 'grafana.ini': ini })]));

    expect(idsOf(f)).toEqual([id]);
    expect(f[0].params.orgRole).toBe(role);
  });
  it.each(['[auth.anonymous]\nenabled = false\n', '[auth]\nenabled = true\n', '[security]\nallow_embedding = true\n'])('ignores %p', (ini) => {
    expect(anonymousOnly(exposure([configMap('grafana', { 'grafana.ini': ini })]))).toEqual([]);
  });
  it('reads GF_AUTH_ANONYMOUS_* environment variables', () => {
    const f = exposure([deployment(container({ env: [{ name: 'GF_AUTH_ANONYMOUS_ENABLED', value: 'true' }, { name: 'GF_AUTH_ANONYMOUS_ORG_ROLE', value: 'Viewer' }] }))]);

    expect(f[0]).toMatchObject({ id: 'exposure.grafanaAnonymous', object: { container: 'c' }, params: { orgRole: 'Viewer' } });
  });
  it('parses ini sections case-insensitively with later values winning', () => {
    expect(anonymousFromIni('[auth.anonymous]\nenabled=true\nenabled=false')).toEqual({ enabled: false, orgRole: 'Viewer' });
  });
});

describe('credentials', () => {
  it('flags literal credential env values and default passwords, never copying the value', () => {
    const f = exposure([deployment(container({
      env: [
        { name: 'MYSQL_PASSWORD', value: 'deepflow' },
        { name: 'API_TOKEN', value: 's3cr3t-Value' },
        { name: 'DB_SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
        { name: 'GF_SECURITY_ADMIN_PASSWORD__FILE', value: '/etc/secrets/pw' },
        { name: 'REFERENCED_PASSWORD', value: '$(OTHER)' },
        { name: 'EMPTY_PASSWORD', value: '' },
        { name: 'MYSQL_USER', value: 'root' },
      ]
    }))]);

    expect(f.map((x) => `${ x.severity } ${ x.id } ${ x.params.variable ?? x.params.secret }`)).toEqual([
      'critical exposure.defaultPasswordEnv MYSQL_PASSWORD', 'critical exposure.plaintextSecretEnv API_TOKEN',
      // The value from Secret "s" is no plain-text credential; that nothing here installs "s" is worth knowing.
      'info exposure.unmanagedSecret s',
    ]);
    expect(JSON.stringify(f)).not.toContain('s3cr3t-Value');
    expect(JSON.stringify(f)).not.toContain('deepflow');
  });
  it('finds default passwords in config files stored in ConfigMaps, and other passwords there as warnings', () => {
    const serverYaml = 'controller:\n  mysql:\n    user-name: root\n    user-password: deepflow\ningester:\n  ckdb-auth:\n    username: default\n    password: "Xk29!aQ"\n';
    const f = exposure([configMap('deepflow', { 'server.yaml': serverYaml, admin_password: 'changeme', secretName: 'grafana-tls', password_min_length: '8' })]);

    expect(f.map((x) => `${ x.severity } ${ x.id } ${ x.params.key }`)).toEqual([
      'critical exposure.defaultPassword admin_password',
      'critical exposure.defaultPassword server.yaml/user-password',
      'warning exposure.configMapPassword server.yaml/password',
    ]);
  });
  it('decodes Secret data and flags only well-known defaults there', () => {
    const f = exposure([secret('mysql', { 'mysql-root-password': b64('deepflow'), 'mysql-password': b64('R4nd0m-Long'), username: b64('admin') }, { 'admin-password': 'Admin' })]);

    expect(f.map((x) => `${ x.severity } ${ x.id } ${ x.params.key }`)).toEqual([
      'critical exposure.defaultPassword admin-password', 'critical exposure.defaultPassword mysql-root-password',
    ]);
  });
  it('decodes base64 safely', () => {
    expect(decodeBase64(b64('héllo'))).toBe('héllo');
    expect(decodeBase64('not base64!')).toBeNull();
    expect(decodeBase64('abc')).toBeNull();
    expect(decodeBase64(Buffer.from([0xff, 0xfe, 0x00]).toString('base64'))).toBeNull();
    expect(decodeBase64('')).toBe('');
  });
  it('skips placeholders and references', () => {
    expect(findCredentials('grafana.ini', '[security]\nadmin_password = $__file{/etc/secrets/pw}\nsecret_key = ${SECRET_KEY}\n')).toEqual([]);
    expect(findCredentials('values', 'password: {{ .Values.password }}')).toEqual([]);
    expect(findCredentials('server.yaml', 'mysql:\n  user-password: "__MYSQL_PASSWORD__"\n  token: $TOKEN\n  secret: <set-me>\n')).toEqual([]);
  });
});

describe('images and resources', () => {
  it.each([
    ['nginx', 'warning exposure.imageUntagged'],
    ['registry:5000/team/nginx', 'warning exposure.imageUntagged'],
    ['nginx:latest', 'warning exposure.imageLatest'],
    ['registry:5000/nginx:1.27', ''],
    ['nginx@sha256:0123456789abcdef', ''],
    ['nginx:latest@sha256:0123456789abcdef', ''],
  ])('image %p', (image, expected) => {
    expect(idsOf(exposure([deployment(container({ image }))]))).toEqual(expected ? [expected] : []);
  });
  it('parses registry ports apart from tags', () => {
    expect(parseImage('host:5000/a/b')).toEqual({});
    expect(parseImage('host:5000/a/b:v1@sha256:x')).toEqual({ tag: 'v1', digest: 'sha256:x' });
  });
  it('flags missing limits (warning) and missing requests (info), in init containers too', () => {
    const spec = { initContainers: [{ name: 'init', image: 'x:1' }], containers: [container({ resources: { limits: { memory: '1Gi' } } })] };
    const f = exposure([workload('Deployment', 'app', NS, spec)]);

    expect(f.map((x) => `${ x.severity } ${ x.id } ${ x.object.container } ${ x.params.missing || '' }`)).toEqual([
      'warning exposure.noLimits c cpu', 'warning exposure.noLimits init cpu, memory', 'info exposure.noRequests init ',
    ]);
  });
});

describe('the design seed', () => {
  it('reports its default passwords, NodePort Grafana, mutable images and missing limits', () => {
    const f = exposure(seedObjects());

    expect(idsOf(f)).toEqual(expect.arrayContaining([
      'critical exposure.defaultPasswordEnv', 'warning exposure.nodePort', 'warning exposure.imageLatest', 'warning exposure.imageUntagged', 'warning exposure.noLimits',
    ]));
  });
});
