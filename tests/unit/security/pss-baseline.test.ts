import { checkPodSpec } from '@pkg/domain/security/pss';
import { BASELINE_CAPABILITIES, SAFE_SYSCTLS_1_32 } from '@pkg/domain/security/pss-baseline';
import { Json, plainSpec, rulesOf } from './helpers';

/**
 * Baseline rules, value by value from the Pod Security Standards tables (Kubernetes 1.34): every
 * allowed value passes, every forbidden value fails with the upstream check ID, in regular, init
 * and ephemeral containers alike.
 */

const baseline = (spec: Json, meta: Json = {}) => checkPodSpec(meta, spec, 'baseline');

/** Puts a securityContext on a container of the given kind. */
function inContainer(kind: 'containers' | 'initContainers' | 'ephemeralContainers', sc: Json, extra: Json = {}): Json {
  const spec = plainSpec();

  if (kind === 'containers') {
    spec.containers[0] = { ...spec.containers[0], securityContext: sc, ...extra };
  } else {
    spec[kind] = [{
      name: 'extra', image: 'registry.example/tool:1', securityContext: sc, ...extra
    }];
  }

  return spec;
}

const CONTAINER_KINDS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

describe('baseline: a minimal pod', () => {
  it('passes with no violations', () => {
    expect(baseline(plainSpec())).toEqual([]);
  });
});

describe('baseline: windowsHostProcess', () => {
  it.each([undefined, false])('allows pod-level hostProcess=%p', (value) => {
    expect(baseline(plainSpec({}, { securityContext: { windowsOptions: { hostProcess: value } } }))).toEqual([]);
  });
  it('forbids pod-level hostProcess=true', () => {
    const v = baseline(plainSpec({}, { securityContext: { windowsOptions: { hostProcess: true } } }));

    expect(v).toEqual([expect.objectContaining({ rule: 'windowsHostProcess', level: 'baseline' })]);
    expect(v[0].container).toBeUndefined();
  });
  it.each(CONTAINER_KINDS)('forbids hostProcess=true in %s', (kind) => {
    const v = baseline(inContainer(kind, { windowsOptions: { hostProcess: true } }));

    expect(rulesOf(v)).toEqual(['windowsHostProcess']);
    expect(v[0].container).toBe(kind === 'containers' ? 'app' : 'extra');
  });
  it.each(CONTAINER_KINDS)('allows hostProcess=false in %s', (kind) => {
    expect(baseline(inContainer(kind, { windowsOptions: { hostProcess: false } }))).toEqual([]);
  });
});

describe('baseline: hostNamespaces', () => {
  it.each(['hostNetwork', 'hostPID', 'hostIPC'])('forbids %s=true and allows false/undefined', (field) => {
    expect(baseline(plainSpec({}, { [field]: false }))).toEqual([]);
    expect(baseline(plainSpec({}, { [field]: undefined }))).toEqual([]);
    const v = baseline(plainSpec({}, { [field]: true }));

    expect(v).toEqual([expect.objectContaining({ rule: 'hostNamespaces', values: [field] })]);
  });
  it('reports all three in one violation', () => {
    const v = baseline(plainSpec({}, { hostNetwork: true, hostPID: true, hostIPC: true }));

    expect(v).toHaveLength(1);
    expect(v[0].values).toEqual(['hostNetwork', 'hostPID', 'hostIPC']);
  });
  it('does not treat the string "true" as true (only a boolean is a set pointer)', () => {
    expect(baseline(plainSpec({}, { hostNetwork: 'true' }))).toEqual([]);
  });
});

describe('baseline: privileged', () => {
  it.each(CONTAINER_KINDS)('forbids privileged=true in %s', (kind) => {
    expect(rulesOf(baseline(inContainer(kind, { privileged: true })))).toEqual(['privileged']);
  });
  it.each([false, undefined, null])('allows privileged=%p', (value) => {
    expect(baseline(inContainer('containers', { privileged: value }))).toEqual([]);
  });
});

describe('baseline: capabilities_baseline', () => {
  it.each(BASELINE_CAPABILITIES)('allows adding %s', (cap) => {
    expect(baseline(inContainer('containers', { capabilities: { add: [cap] } }))).toEqual([]);
  });
  it.each(['NET_RAW', 'SYS_ADMIN', 'NET_ADMIN', 'BPF', 'PERFMON', 'SYS_PTRACE', 'ALL', 'CAP_CHOWN', 'chown'])('forbids adding %s', (cap) => {
    const v = baseline(inContainer('containers', { capabilities: { add: [cap] } }));

    expect(v).toEqual([expect.objectContaining({ rule: 'capabilities_baseline', container: 'app', values: [cap] })]);
  });
  it.each(CONTAINER_KINDS)('checks %s', (kind) => {
    expect(rulesOf(baseline(inContainer(kind, { capabilities: { add: ['SYS_ADMIN'] } })))).toEqual(['capabilities_baseline']);
  });
  it('allows an empty add list and any drop list', () => {
    expect(baseline(inContainer('containers', { capabilities: { add: [], drop: ['ALL', 'SYS_ADMIN'] } }))).toEqual([]);
  });
  it('lists only the non-default capabilities', () => {
    const v = baseline(inContainer('containers', { capabilities: { add: ['CHOWN', 'SYS_ADMIN', 'NET_RAW'] } }));

    expect(v[0].values).toEqual(['NET_RAW', 'SYS_ADMIN']);
  });
});

describe('baseline: hostPathVolumes', () => {
  it('forbids any hostPath volume', () => {
    const v = baseline(plainSpec({}, { volumes: [{ name: 'sys', hostPath: { path: '/sys' } }, { name: 'cfg', configMap: { name: 'c' } }] }));

    expect(v).toEqual([expect.objectContaining({ rule: 'hostPathVolumes', values: ['sys'] })]);
  });
  it('counts an empty hostPath object (non-nil) and ignores hostPath: null', () => {
    expect(rulesOf(baseline(plainSpec({}, { volumes: [{ name: 'a', hostPath: {} }] })))).toEqual(['hostPathVolumes']);
    expect(baseline(plainSpec({}, { volumes: [{ name: 'a', hostPath: null, emptyDir: {} }] }))).toEqual([]);
  });
});

describe('baseline: hostPorts', () => {
  it.each([undefined, 0])('allows hostPort=%p', (hostPort) => {
    expect(baseline(plainSpec({ ports: [{ containerPort: 80, hostPort }] }))).toEqual([]);
  });
  it.each([80, 8080, 30000])('forbids hostPort=%p', (hostPort) => {
    const v = baseline(plainSpec({ ports: [{ containerPort: 80, hostPort }] }));

    expect(v).toEqual([expect.objectContaining({ rule: 'hostPorts', values: [String(hostPort)] })]);
  });
  it('checks init containers', () => {
    expect(rulesOf(baseline(inContainer('initContainers', {}, { ports: [{ containerPort: 1, hostPort: 1 }] })))).toEqual(['hostPorts']);
  });
});

describe('baseline: appArmorProfile', () => {
  it.each([undefined, 'RuntimeDefault', 'Localhost'])('allows the field type %p at pod and container level', (type) => {
    const profile = type === undefined ? undefined : { type, localhostProfile: type === 'Localhost' ? 'p' : undefined };

    expect(baseline(plainSpec({ securityContext: { appArmorProfile: profile } }, { securityContext: { appArmorProfile: profile } }))).toEqual([]);
  });
  it('forbids Unconfined at pod level', () => {
    const v = baseline(plainSpec({}, { securityContext: { appArmorProfile: { type: 'Unconfined' } } }));

    expect(v).toEqual([expect.objectContaining({ rule: 'appArmorProfile', values: ['Unconfined'] })]);
    expect(v[0].container).toBeUndefined();
  });
  it.each(CONTAINER_KINDS)('forbids Unconfined in %s', (kind) => {
    expect(rulesOf(baseline(inContainer(kind, { appArmorProfile: { type: 'Unconfined' } })))).toEqual(['appArmorProfile']);
  });
  it.each(['', 'runtime/default', 'localhost/my-profile'])('allows the annotation value %p', (value) => {
    expect(baseline(plainSpec(), { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': value } })).toEqual([]);
  });
  it.each(['docker/default', 'other'])('forbids the annotation value %p', (value) => {
    const v = baseline(plainSpec(), { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': value } });

    expect(v).toEqual([expect.objectContaining({ rule: 'appArmorProfile', values: [value], container: 'app' })]);
  });
  it('forbids "unconfined" in the annotation and in the field the API server copies it into', () => {
    // applyAppArmorVersionSkew sets the container's empty appArmorProfile from the annotation on create.
    const v = baseline(plainSpec(), { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } });

    expect(v).toEqual([
      expect.objectContaining({ rule: 'appArmorProfile', values: ['Unconfined'], container: 'app' }),
      expect.objectContaining({ rule: 'appArmorProfile', values: ['unconfined'], container: 'app' }),
    ]);
  });
  it('does not copy an annotation that the pod-level profile already states', () => {
    const spec = plainSpec({ securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } });

    expect(baseline(spec, { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' } })).toEqual([]);
  });
});

describe('baseline: seLinuxOptions', () => {
  it.each([undefined, '', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'])('allows type %p', (type) => {
    expect(baseline(plainSpec({ securityContext: { seLinuxOptions: { type } } }, { securityContext: { seLinuxOptions: { type, level: 's0:c1' } } }))).toEqual([]);
  });
  it.each(['spc_t', 'unconfined_t', 'container_logreader_t'])('forbids type %p', (type) => {
    expect(rulesOf(baseline(plainSpec({}, { securityContext: { seLinuxOptions: { type } } })))).toEqual(['seLinuxOptions']);
  });
  it.each(['user', 'role'])('forbids setting %s and allows it empty', (field) => {
    expect(rulesOf(baseline(inContainer('initContainers', { seLinuxOptions: { [field]: 'x' } })))).toEqual(['seLinuxOptions']);
    expect(baseline(inContainer('initContainers', { seLinuxOptions: { [field]: '' } }))).toEqual([]);
  });
  it('uses the pre-1.31 type list for a v1.30 policy', () => {
    const spec = plainSpec({}, { securityContext: { seLinuxOptions: { type: 'container_engine_t' } } });

    expect(rulesOf(checkPodSpec({}, spec, 'baseline', { version: 'v1.30' }))).toEqual(['seLinuxOptions']);
    expect(checkPodSpec({}, spec, 'baseline', { version: 'v1.31' })).toEqual([]);
  });
});

describe('baseline: procMount', () => {
  it.each([undefined, 'Default'])('allows %p', (procMount) => {
    expect(baseline(inContainer('containers', { procMount }))).toEqual([]);
  });
  it.each(CONTAINER_KINDS)('forbids Unmasked in %s', (kind) => {
    expect(rulesOf(baseline(inContainer(kind, { procMount: 'Unmasked' })))).toEqual(['procMount']);
  });
  it('is not relaxed for user-namespace pods unless the feature gate is emulated', () => {
    const spec = inContainer('containers', { procMount: 'Unmasked' });

    spec.hostUsers = false;
    expect(rulesOf(checkPodSpec({}, spec, 'baseline'))).toEqual(['procMount']);
    expect(checkPodSpec({}, spec, 'baseline', { relaxForUserNamespaces: true })).toEqual([]);
  });
});

describe('baseline: seccompProfile_baseline', () => {
  it.each([undefined, 'RuntimeDefault', 'Localhost'])('allows %p at pod and container level', (type) => {
    const profile = type === undefined ? undefined : { type };

    expect(baseline(plainSpec({ securityContext: { seccompProfile: profile } }, { securityContext: { seccompProfile: profile } }))).toEqual([]);
  });
  it('forbids Unconfined at pod level', () => {
    expect(rulesOf(baseline(plainSpec({}, { securityContext: { seccompProfile: { type: 'Unconfined' } } })))).toEqual(['seccompProfile_baseline']);
  });
  it.each(CONTAINER_KINDS)('forbids Unconfined in %s even when the pod sets RuntimeDefault', (kind) => {
    const spec = inContainer(kind, { seccompProfile: { type: 'Unconfined' } });

    spec.securityContext = { seccompProfile: { type: 'RuntimeDefault' } };
    expect(rulesOf(baseline(spec))).toEqual(['seccompProfile_baseline']);
  });
  it('ignores the removed alpha annotations from policy v1.19 on, checks them before', () => {
    const meta = { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } };

    expect(baseline(plainSpec(), meta)).toEqual([]);
    expect(rulesOf(checkPodSpec(meta, plainSpec(), 'baseline', { version: 'v1.18' }))).toEqual(['seccompProfile_baseline']);
    expect(checkPodSpec({ annotations: { 'container.seccomp.security.alpha.kubernetes.io/app': 'docker/default' } }, plainSpec(), 'baseline', { version: 'v1.18' })).toEqual([]);
  });
});

describe('baseline: sysctls', () => {
  it.each(SAFE_SYSCTLS_1_32)('allows %s', (name) => {
    expect(baseline(plainSpec({}, { securityContext: { sysctls: [{ name, value: '1' }] } }))).toEqual([]);
  });
  it.each(['kernel.msgmax', 'net.core.somaxconn', 'net.ipv4.ip_forward', 'vm.swappiness'])('forbids %s', (name) => {
    expect(baseline(plainSpec({}, { securityContext: { sysctls: [{ name, value: '1' }] } })))
      .toEqual([expect.objectContaining({ rule: 'sysctls', values: [name] })]);
  });
  it.each([
    ['v1.26', 'net.ipv4.ip_local_reserved_ports'],
    ['v1.28', 'net.ipv4.tcp_keepalive_time'],
    ['v1.31', 'net.ipv4.tcp_rmem'],
  ])('forbids sysctls a %s policy did not list yet (%s)', (version, name) => {
    expect(rulesOf(checkPodSpec({}, plainSpec({}, { securityContext: { sysctls: [{ name, value: '1' }] } }), 'baseline', { version }))).toEqual(['sysctls']);
  });
});

describe('baseline: hostProbesAndHostLifecycle (new in 1.34)', () => {
  const probes = ['livenessProbe', 'readinessProbe', 'startupProbe'];

  it.each(probes)('forbids %s httpGet.host and tcpSocket.host', (probe) => {
    expect(rulesOf(baseline(plainSpec({ [probe]: { httpGet: { port: 80, host: '10.0.0.1' } } })))).toEqual(['hostProbesAndHostLifecycle']);
    expect(rulesOf(baseline(plainSpec({ [probe]: { tcpSocket: { port: 80, host: 'example.com' } } })))).toEqual(['hostProbesAndHostLifecycle']);
  });
  it.each(['postStart', 'preStop'])('forbids lifecycle.%s hosts', (hook) => {
    expect(rulesOf(baseline(plainSpec({ lifecycle: { [hook]: { httpGet: { port: 80, host: 'x' } } } })))).toEqual(['hostProbesAndHostLifecycle']);
  });
  it.each([undefined, ''])('allows host %p', (host) => {
    expect(baseline(plainSpec({ livenessProbe: { httpGet: { port: 80, host } }, lifecycle: { preStop: { tcpSocket: { port: 1, host } } } }))).toEqual([]);
  });
  it('is not part of policies older than v1.34', () => {
    const spec = plainSpec({ readinessProbe: { httpGet: { port: 80, host: '1.2.3.4' } } });

    expect(checkPodSpec({}, spec, 'baseline', { version: 'v1.33' })).toEqual([]);
    expect(rulesOf(checkPodSpec({}, spec, 'baseline', { version: 'v1.34' }))).toEqual(['hostProbesAndHostLifecycle']);
    expect(rulesOf(checkPodSpec({}, spec, 'baseline', { version: 'v1.99' }))).toEqual(['hostProbesAndHostLifecycle']);
  });
});

describe('API server defaults applied before the checks (as in a dry-run)', () => {
  it('host networking turns container ports into host ports', () => {
    const spec = plainSpec({ ports: [{ containerPort: 8080 }] }, { hostNetwork: true });

    expect(rulesOf(baseline(spec))).toEqual(['hostNamespaces', 'hostPorts']);
    expect(rulesOf(checkPodSpec({}, spec, 'baseline', { applyDefaults: false }))).toEqual(['hostNamespaces']);
    expect(spec.containers[0].ports[0].hostPort).toBeUndefined();
  });
  it('a volume without a source becomes an emptyDir, which Restricted allows', () => {
    const spec = {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers:      [{ name: 'c', image: 'x:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      volumes:         [{ name: 'scratch' }, { name: 'nulled', hostPath: null }],
    };

    expect(checkPodSpec({}, spec, 'restricted')).toEqual([]);
    expect(rulesOf(checkPodSpec({}, spec, 'restricted', { applyDefaults: false }))).toEqual(['restrictedVolumes']);
  });
});

describe('privileged level', () => {
  it('never reports violations', () => {
    const spec = inContainer('containers', { privileged: true, capabilities: { add: ['SYS_ADMIN'] } });

    spec.hostPID = true;
    expect(checkPodSpec({}, spec, 'privileged')).toEqual([]);
  });
});
