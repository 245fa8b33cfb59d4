/**
 * Pod specs that exercise every Pod Security Standards rule (baseline and restricted, Kubernetes 1.34)
 * with passing and failing variants. Every spec is valid for the API server's own validation, so the
 * verdict comes from PodSecurity admission and not from a 422.
 *
 * `expected` is what the corpus author intends each case to hit; the test asserts that the real
 * API server agrees, which proves every rule is actually exercised in both directions.
 */
import { PSS_REASONS as R, PssReason } from './reasons';

type Json = Record<string, any>;

export interface PssCase {
  /** Unique DNS-1123 name, used as the pod name. */
  name: string;
  /** The rule the case is about, for reports. */
  rule: string;
  annotations?: Record<string, string>;
  spec: Json;
  /**
   * Ephemeral containers cannot be set on create: the case's pod is created without them and they are
   * added through the `ephemeralcontainers` subresource (with dry-run), where PodSecurity checks them.
   */
  ephemeralContainers?: Json[];
  expected: { baseline: PssReason[]; restricted: PssReason[] };
}

const IMAGE = 'registry.example.com/test/app:1.0';

/** A container that meets the restricted level on its own (given a restricted pod securityContext). */
function restrictedContainer(name = 'app', securityContext: Json = {}): Json {
  return {
    name,
    image:           IMAGE,
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...securityContext },
  };
}

/** A container with no securityContext at all: fine for baseline, four restricted violations. */
function plainContainer(name = 'app', extra: Json = {}): Json {
  return { name, image: IMAGE, ...extra };
}

/** A pod spec that meets the restricted level; `podSecurityContext` fields are merged over the defaults. */
function restrictedPod(overrides: Json = {}, podSecurityContext: Json = {}): Json {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, ...podSecurityContext },
    containers:      [restrictedContainer()],
    ...overrides,
  };
}

/** The four rules a container without any securityContext breaks at the restricted level. */
const PLAIN: PssReason[] = [R.allowPrivilegeEscalation, R.capabilities_restricted, R.runAsNonRoot, R.seccompProfile];

function withContainerContext(securityContext: Json, name = 'app'): Json {
  return restrictedPod({ containers: [restrictedContainer(name, securityContext)] });
}

function sorted(reasons: PssReason[]): PssReason[] {
  return [...new Set(reasons)].sort();
}

/**
 * At the restricted level two baseline checks are replaced by stricter ones that fail whenever they would
 * (upstream `OverrideCheckIDs`): non-default capabilities -> unrestricted capabilities, hostPath volumes ->
 * restricted volume types. The seccomp checks share one reason text.
 */
const OVERRIDDEN_AT_RESTRICTED: Partial<Record<PssReason, PssReason>> = {
  [R.capabilities_baseline]: R.capabilities_restricted,
  [R.hostPathVolumes]:       R.restrictedVolumes,
};

function pssCase(name: string, rule: string, spec: Json, baseline: PssReason[], restrictedOnly: PssReason[], extra: Partial<PssCase> = {}): PssCase {
  // Everything baseline forbids, restricted forbids too (possibly under its stricter check's reason).
  const restricted = [...baseline.map((r) => OVERRIDDEN_AT_RESTRICTED[r] ?? r), ...restrictedOnly];

  return {
    name, rule, spec, ...extra, expected: { baseline: sorted(baseline), restricted: sorted(restricted) }
  };
}

export const PSS_CORPUS: PssCase[] = [
  // Reference points.
  pssCase('restricted-compliant', 'reference', restrictedPod(), [], []),
  pssCase('plain-container', 'reference', { containers: [plainContainer()] }, [], PLAIN),

  // Host namespaces.
  pssCase('host-network', 'hostNamespaces', restrictedPod({ hostNetwork: true }), [R.hostNamespaces], []),
  pssCase('host-pid', 'hostNamespaces', restrictedPod({ hostPID: true }), [R.hostNamespaces], []),
  pssCase('host-ipc', 'hostNamespaces', restrictedPod({ hostIPC: true }), [R.hostNamespaces], []),
  // With host networking the API server defaults every container port's hostPort to the containerPort.
  pssCase('host-network-container-ports', 'hostNamespaces', restrictedPod({
    hostNetwork:    true,
    initContainers: [{ ...restrictedContainer('init'), ports: [{ containerPort: 9000 }] }],
    containers:     [{ ...restrictedContainer(), ports: [{ containerPort: 8080 }] }],
  }), [R.hostNamespaces, R.hostPorts], []),
  pssCase('host-namespaces-false', 'hostNamespaces', restrictedPod({ hostNetwork: false, hostPID: false, hostIPC: false }), [], []),

  // Privileged containers (privileged=true cannot be combined with allowPrivilegeEscalation=false).
  pssCase('privileged-container', 'privileged', { containers: [plainContainer('app', { securityContext: { privileged: true } })] }, [R.privileged], PLAIN),
  pssCase('privileged-false', 'privileged', withContainerContext({ privileged: false }), [], []),
  pssCase('privileged-init-container', 'privileged', restrictedPod({
    initContainers: [{ name: 'init', image: IMAGE, securityContext: { privileged: true, capabilities: { drop: ['ALL'] } } }]
  }), [R.privileged], [R.allowPrivilegeEscalation]),

  // Capabilities.
  pssCase('capabilities-add-sys-admin', 'capabilities', withContainerContext({ capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } }), [R.capabilities_baseline], [R.capabilities_restricted]),
  pssCase('capabilities-add-all', 'capabilities', withContainerContext({ capabilities: { drop: ['ALL'], add: ['ALL'] } }), [R.capabilities_baseline], [R.capabilities_restricted]),
  pssCase('capabilities-add-chown', 'capabilities', withContainerContext({ capabilities: { drop: ['ALL'], add: ['CHOWN'] } }), [], [R.capabilities_restricted]),
  pssCase('capabilities-add-net-bind-service', 'capabilities', withContainerContext({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }), [], []),
  pssCase('capabilities-no-drop', 'capabilities', withContainerContext({ capabilities: {} }), [], [R.capabilities_restricted]),
  pssCase('capabilities-drop-lowercase-all', 'capabilities', withContainerContext({ capabilities: { drop: ['all'] } }), [], [R.capabilities_restricted]),
  pssCase('capabilities-init-add-net-admin', 'capabilities', restrictedPod({
    initContainers: [restrictedContainer('init', { capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } })]
  }), [R.capabilities_baseline], [R.capabilities_restricted]),

  // hostPath volumes (also a restricted volume type).
  pssCase('hostpath-volume', 'hostPathVolumes', restrictedPod({
    volumes:    [{ name: 'logs', hostPath: { path: '/var/log', type: 'Directory' } }],
    containers: [{ ...restrictedContainer(), volumeMounts: [{ name: 'logs', mountPath: '/logs', readOnly: true }] }],
  }), [R.hostPathVolumes], [R.restrictedVolumes]),

  pssCase('hostpath-none-emptydir', 'hostPathVolumes', restrictedPod({
    volumes:    [{ name: 'logs', emptyDir: {} }],
    containers: [{ ...restrictedContainer(), volumeMounts: [{ name: 'logs', mountPath: '/var/log' }] }],
  }), [], []),

  // Host ports.
  pssCase('host-port', 'hostPorts', restrictedPod({ containers: [{ ...restrictedContainer(), ports: [{ containerPort: 8080, hostPort: 8080 }] }] }), [R.hostPorts], []),
  pssCase('container-port-only', 'hostPorts', restrictedPod({ containers: [{ ...restrictedContainer(), ports: [{ containerPort: 8080 }] }] }), [], []),
  pssCase('host-port-zero', 'hostPorts', restrictedPod({ containers: [{ ...restrictedContainer(), ports: [{ containerPort: 8080, hostPort: 0 }] }] }), [], []),
  pssCase('host-port-init-container', 'hostPorts', restrictedPod({
    initContainers: [{ ...restrictedContainer('init'), ports: [{ containerPort: 9000, hostPort: 9000 }] }]
  }), [R.hostPorts], []),

  // AppArmor: the securityContext field and the deprecated annotation.
  pssCase('apparmor-pod-unconfined', 'appArmorProfile', restrictedPod({}, { appArmorProfile: { type: 'Unconfined' } }), [R.appArmorProfile], []),
  pssCase('apparmor-container-unconfined', 'appArmorProfile', withContainerContext({ appArmorProfile: { type: 'Unconfined' } }), [R.appArmorProfile], []),
  pssCase('apparmor-container-runtime-default', 'appArmorProfile', withContainerContext({ appArmorProfile: { type: 'RuntimeDefault' } }), [], []),
  pssCase('apparmor-pod-localhost', 'appArmorProfile', restrictedPod({}, { appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-apparmor-example' } }), [], []),
  pssCase('apparmor-annotation-unconfined', 'appArmorProfile', restrictedPod(), [R.appArmorProfile], [], {
    annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' }
  }),
  // On create the API server copies a container's annotation into its empty appArmorProfile field unless it
  // equals the pod-level profile, and PodSecurity then sees both (which decides "profile" vs "profiles").
  pssCase('apparmor-annotation-unconfined-pod-unconfined', 'appArmorProfile', restrictedPod({}, { appArmorProfile: { type: 'Unconfined' } }), [R.appArmorProfile], [], {
    annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' }
  }),
  pssCase('apparmor-annotation-runtime-default-pod-unconfined', 'appArmorProfile', restrictedPod({}, { appArmorProfile: { type: 'Unconfined' } }), [R.appArmorProfile], [], {
    annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' }
  }),
  pssCase('apparmor-annotation-runtime-default', 'appArmorProfile', restrictedPod(), [], [], {
    annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' }
  }),
  pssCase('apparmor-annotation-localhost', 'appArmorProfile', restrictedPod(), [], [], {
    annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'localhost/k8s-apparmor-example' }
  }),

  // SELinux.
  pssCase('selinux-pod-type-container-t', 'seLinuxOptions', restrictedPod({}, { seLinuxOptions: { type: 'container_t' } }), [], []),
  pssCase('selinux-init-type-container-engine-t', 'seLinuxOptions', restrictedPod({
    initContainers: [restrictedContainer('init', { seLinuxOptions: { type: 'container_engine_t' } })]
  }), [], []),
  pssCase('selinux-container-type-spc-t', 'seLinuxOptions', withContainerContext({ seLinuxOptions: { type: 'spc_t' } }), [R.seLinuxOptions], []),
  pssCase('selinux-pod-user', 'seLinuxOptions', restrictedPod({}, { seLinuxOptions: { user: 'system_u' } }), [R.seLinuxOptions], []),
  pssCase('selinux-container-role', 'seLinuxOptions', withContainerContext({ seLinuxOptions: { role: 'system_r' } }), [R.seLinuxOptions], []),
  pssCase('selinux-level-only', 'seLinuxOptions', restrictedPod({}, { seLinuxOptions: { level: 's0:c123,c456' } }), [], []),

  // /proc mount type (Unmasked is only valid in a user namespace, hostUsers=false).
  pssCase('procmount-default', 'procMount', withContainerContext({ procMount: 'Default' }), [], []),
  pssCase('procmount-unmasked', 'procMount', { ...withContainerContext({ procMount: 'Unmasked' }), hostUsers: false }, [R.procMount], []),

  // Seccomp, pod and container level.
  pssCase('seccomp-pod-unconfined', 'seccompProfile', restrictedPod({}, { seccompProfile: { type: 'Unconfined' } }), [R.seccompProfile], []),
  pssCase('seccomp-container-unconfined', 'seccompProfile', withContainerContext({ seccompProfile: { type: 'Unconfined' } }), [R.seccompProfile], []),
  pssCase('seccomp-pod-localhost', 'seccompProfile', restrictedPod({}, { seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/audit.json' } }), [], []),
  pssCase('seccomp-container-runtime-default-only', 'seccompProfile', restrictedPod({
    securityContext: { runAsNonRoot: true },
    containers:      [restrictedContainer('app', { seccompProfile: { type: 'RuntimeDefault' } })],
  }), [], []),
  pssCase('seccomp-missing', 'seccompProfile', restrictedPod({ securityContext: { runAsNonRoot: true } }), [], [R.seccompProfile]),
  pssCase('seccomp-pod-unconfined-container-runtime-default', 'seccompProfile', restrictedPod({
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Unconfined' } },
    containers:      [restrictedContainer('app', { seccompProfile: { type: 'RuntimeDefault' } })],
  }), [R.seccompProfile], []),
  pssCase('seccomp-init-container-missing', 'seccompProfile', restrictedPod({
    securityContext: { runAsNonRoot: true },
    initContainers:  [restrictedContainer('init')],
    containers:      [restrictedContainer('app', { seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/app.json' } })],
  }), [], [R.seccompProfile]),

  // Sysctls.
  pssCase('sysctls-safe', 'sysctls', restrictedPod({}, {
    sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65000' }, { name: 'net.ipv4.tcp_keepalive_time', value: '600' }]
  }), [], []),
  pssCase('sysctls-safe-since-1-32', 'sysctls', restrictedPod({}, { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }] }), [], []),
  pssCase('sysctls-unsafe-kernel', 'sysctls', restrictedPod({}, { sysctls: [{ name: 'kernel.msgmax', value: '65536' }] }), [R.sysctls], []),
  pssCase('sysctls-unsafe-net-core', 'sysctls', restrictedPod({}, {
    sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'net.core.somaxconn', value: '1024' }]
  }), [R.sysctls], []),

  // Volume types.
  pssCase('volumes-allowed-types', 'restrictedVolumes', restrictedPod({
    volumes: [
      { name: 'config', configMap: { name: 'app-config' } },
      { name: 'secret', secret: { secretName: 'app-secret' } },
      { name: 'scratch', emptyDir: {} },
      { name: 'data', persistentVolumeClaim: { claimName: 'app-data' } },
      { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      { name: 'bundle', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } },
      { name: 'inline', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true } },
      {
        name:      'generic',
        ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } },
      },
    ],
  }), [], []),
  // A volume without a source is defaulted to an emptyDir.
  pssCase('volume-without-source', 'restrictedVolumes', restrictedPod({ volumes: [{ name: 'scratch' }] }), [], []),
  pssCase('volume-nfs', 'restrictedVolumes', restrictedPod({ volumes: [{ name: 'share', nfs: { server: 'nfs.example.com', path: '/exports' } }] }), [], [R.restrictedVolumes]),
  pssCase('volume-flex', 'restrictedVolumes', restrictedPod({ volumes: [{ name: 'flex', flexVolume: { driver: 'example.com/lvm' } }] }), [], [R.restrictedVolumes]),

  // Privilege escalation.
  pssCase('allow-privilege-escalation-false', 'allowPrivilegeEscalation', withContainerContext({ allowPrivilegeEscalation: false }), [], []),
  pssCase('allow-privilege-escalation-true', 'allowPrivilegeEscalation', withContainerContext({ allowPrivilegeEscalation: true }), [], [R.allowPrivilegeEscalation]),
  pssCase('allow-privilege-escalation-unset', 'allowPrivilegeEscalation', restrictedPod({
    containers: [{ name: 'app', image: IMAGE, securityContext: { capabilities: { drop: ['ALL'] } } }]
  }), [], [R.allowPrivilegeEscalation]),

  // runAsNonRoot: pod/container precedence.
  pssCase('run-as-non-root-container-only', 'runAsNonRoot', restrictedPod({
    securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    containers:      [restrictedContainer('app', { runAsNonRoot: true })],
  }), [], []),
  pssCase('run-as-non-root-container-false-overrides-pod', 'runAsNonRoot', withContainerContext({ runAsNonRoot: false }), [], [R.runAsNonRoot]),
  pssCase('run-as-non-root-pod-false-containers-true', 'runAsNonRoot', restrictedPod({
    securityContext: { runAsNonRoot: false, seccompProfile: { type: 'RuntimeDefault' } },
    containers:      [restrictedContainer('app', { runAsNonRoot: true })],
  }), [], [R.runAsNonRoot]),
  pssCase('run-as-non-root-missing-on-init', 'runAsNonRoot', restrictedPod({
    securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    initContainers:  [restrictedContainer('init')],
    containers:      [restrictedContainer('app', { runAsNonRoot: true })],
  }), [], [R.runAsNonRoot]),

  // runAsUser.
  pssCase('run-as-user-0-pod', 'runAsUser', restrictedPod({}, { runAsUser: 0 }), [], [R.runAsUser]),
  pssCase('run-as-user-0-container', 'runAsUser', withContainerContext({ runAsUser: 0 }), [], [R.runAsUser]),
  pssCase('run-as-user-1000', 'runAsUser', restrictedPod({}, { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 }), [], []),

  // Probe and lifecycle hosts (baseline since 1.34).
  pssCase('probe-host', 'hostProbesAndHostLifecycle', restrictedPod({
    containers: [{ ...restrictedContainer(), livenessProbe: { httpGet: { host: '10.0.0.1', path: '/healthz', port: 8080 } } }]
  }), [R.hostProbesAndHostLifecycle], []),
  pssCase('probe-no-host', 'hostProbesAndHostLifecycle', restrictedPod({
    containers: [{ ...restrictedContainer(), readinessProbe: { tcpSocket: { port: 8080 } } }]
  }), [], []),
  pssCase('lifecycle-host', 'hostProbesAndHostLifecycle', restrictedPod({
    containers: [{ ...restrictedContainer(), lifecycle: { preStop: { tcpSocket: { host: 'metadata.example.com', port: 80 } } } }]
  }), [R.hostProbesAndHostLifecycle], []),

  // Ephemeral containers (added through the subresource).
  pssCase('ephemeral-container-restricted', 'ephemeralContainers', restrictedPod(), [], [], {
    ephemeralContainers: [{ ...restrictedContainer('debugger'), targetContainerName: 'app' }]
  }),
  pssCase('ephemeral-container-privileged', 'ephemeralContainers', restrictedPod(), [R.privileged], [R.allowPrivilegeEscalation, R.capabilities_restricted], {
    ephemeralContainers: [{ name: 'debugger', image: IMAGE, securityContext: { privileged: true } }]
  }),
  pssCase('ephemeral-container-run-as-root', 'ephemeralContainers', restrictedPod(), [], [R.runAsUser], {
    ephemeralContainers: [restrictedContainer('debugger', { runAsUser: 0 })]
  }),

  // Windows pods: the Linux-only restricted rules do not apply; hostProcess is baseline.
  pssCase('windows-restricted', 'windows', {
    os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [plainContainer()]
  }, [], []),
  pssCase('windows-host-process', 'windows', {
    os:              { name: 'windows' },
    hostNetwork:     true,
    securityContext: { windowsOptions: { hostProcess: true, runAsUserName: 'NT AUTHORITY\\Local service' } },
    containers:      [plainContainer()],
  }, [R.hostNamespaces, R.windowsHostProcess], [R.runAsNonRoot]),

  // A DeepFlow-agent-like pod: several baseline rules at once.
  pssCase('agent-like-privileges', 'combined', {
    hostPID:         true,
    securityContext: { appArmorProfile: { type: 'Unconfined' } },
    volumes:         [{ name: 'debugfs', hostPath: { path: '/sys/kernel/debug' } }],
    containers:      [plainContainer('agent', {
      securityContext: { capabilities: { add: ['SYS_ADMIN', 'SYS_RESOURCE', 'SYS_PTRACE', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'SYSLOG'] } },
      volumeMounts:    [{ name: 'debugfs', mountPath: '/sys/kernel/debug', readOnly: true }],
    })],
  }, [R.hostNamespaces, R.appArmorProfile, R.hostPathVolumes, R.capabilities_baseline], [...PLAIN, R.restrictedVolumes]),
];
