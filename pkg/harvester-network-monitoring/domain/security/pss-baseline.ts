import { Json, isRecord, num, optRec, records, stringMap, strings, text, uniqueSorted } from '../guards';
import {
  CheckFn, PssViolation, field, inUserNamespace, podSecurityContext, violation, visitContainers
} from './pss-common';

/**
 * The Baseline checks of the Pod Security Standards, field by field as k8s.io/pod-security-admission
 * evaluates them (pointer fields: only an explicit value counts; init and ephemeral containers included).
 */

export const BASELINE_CAPABILITIES = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
];

export const windowsHostProcess: CheckFn = (_meta, spec) => {
  const out: PssViolation[] = [];
  const hostProcess = (sc: Json | undefined) => field(sc, 'windowsOptions')?.hostProcess === true;

  if (hostProcess(podSecurityContext(spec))) {
    out.push(violation('windowsHostProcess', 'baseline', 'securityContext.windowsOptions.hostProcess=true', ['hostProcess']));
  }
  for (const c of visitContainers(spec)) {
    if (hostProcess(c.sc)) {
      out.push(violation('windowsHostProcess', 'baseline', 'securityContext.windowsOptions.hostProcess=true', ['hostProcess'], c.name));
    }
  }

  return out;
};

export const hostNamespaces: CheckFn = (_meta, spec) => {
  const used = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => spec[k] === true);

  return used.length ? [violation('hostNamespaces', 'baseline', used.map((k) => `${ k }=true`).join(', '), [...used])] : [];
};

export const privileged: CheckFn = (_meta, spec) => visitContainers(spec)
  .filter((c) => c.sc?.privileged === true)
  .map((c) => violation('privileged', 'baseline', 'securityContext.privileged=true', ['privileged'], c.name));

export const capabilitiesBaseline: CheckFn = (_meta, spec) => {
  const out: PssViolation[] = [];

  for (const c of visitContainers(spec)) {
    const added = strings(field(c.sc, 'capabilities')?.add);
    const extra = added.filter((cap) => !BASELINE_CAPABILITIES.includes(cap));

    if (extra.length) {
      out.push(violation('capabilities_baseline', 'baseline', `capabilities.add: ${ uniqueSorted(extra).join(', ') }`, uniqueSorted(extra), c.name));
    }
  }

  return out;
};

export const hostPathVolumes: CheckFn = (_meta, spec) => {
  const names = records(spec.volumes).filter((v) => isRecord(v.hostPath)).map((v) => text(v.name));

  return names.length ? [violation('hostPathVolumes', 'baseline', `hostPath volumes: ${ names.join(', ') }`, names)] : [];
};

export const hostPorts: CheckFn = (_meta, spec) => {
  const out: PssViolation[] = [];

  for (const c of visitContainers(spec)) {
    const ports = records(c.raw.ports).map((p) => num(p.hostPort)).filter((p): p is number => p !== undefined && p !== 0);

    if (ports.length) {
      const values = uniqueSorted(ports.map(String));

      out.push(violation('hostPorts', 'baseline', `hostPort ${ values.join(', ') }`, values, c.name));
    }
  }

  return out;
};

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const allowedAppArmorType = (t: string) => t === 'RuntimeDefault' || t === 'Localhost';
const allowedAppArmorAnnotation = (v: string) => v === '' || v === 'runtime/default' || v.startsWith('localhost/');

export const appArmorProfile: CheckFn = (meta, spec) => {
  const out: PssViolation[] = [];
  const podProfile = field(podSecurityContext(spec), 'appArmorProfile');

  if (podProfile && !allowedAppArmorType(text(podProfile.type))) {
    out.push(violation('appArmorProfile', 'baseline', `appArmorProfile.type=${ text(podProfile.type) }`, [text(podProfile.type)]));
  }
  for (const c of visitContainers(spec)) {
    const profile = field(c.sc, 'appArmorProfile');

    if (profile && !allowedAppArmorType(text(profile.type))) {
      out.push(violation('appArmorProfile', 'baseline', `appArmorProfile.type=${ text(profile.type) }`, [text(profile.type)], c.name));
    }
  }
  const annotations = stringMap(meta.annotations);

  for (const key of Object.keys(annotations).sort()) {
    if (key.startsWith(APPARMOR_ANNOTATION_PREFIX) && !allowedAppArmorAnnotation(annotations[key])) {
      out.push(violation('appArmorProfile', 'baseline', `annotation ${ key }=${ annotations[key] }`, [annotations[key]],
        key.slice(APPARMOR_ANNOTATION_PREFIX.length)));
    }
  }

  return out;
};

const SELINUX_TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const SELINUX_TYPES_1_31 = [...SELINUX_TYPES_1_0, 'container_engine_t'];

function seLinuxCheck(allowedTypes: string[]): CheckFn {
  return (_meta, spec) => {
    const out: PssViolation[] = [];
    const inspect = (sc: Json | undefined, container?: string) => {
      const opts = field(sc, 'seLinuxOptions');

      if (!opts) {
        return;
      }
      const bad: string[] = [];

      if (!allowedTypes.includes(text(opts.type))) {
        bad.push(`type=${ text(opts.type) }`);
      }
      if (text(opts.user)) {
        bad.push('user');
      }
      if (text(opts.role)) {
        bad.push('role');
      }
      if (bad.length) {
        out.push(violation('seLinuxOptions', 'baseline', `seLinuxOptions ${ bad.join(', ') }`, bad, container));
      }
    };

    inspect(podSecurityContext(spec));
    for (const c of visitContainers(spec)) {
      inspect(c.sc, c.name);
    }

    return out;
  };
}

export const seLinuxOptions1_0 = seLinuxCheck(SELINUX_TYPES_1_0);
export const seLinuxOptions1_31 = seLinuxCheck(SELINUX_TYPES_1_31);

export const procMount: CheckFn = (_meta, spec, ctx) => {
  if (inUserNamespace(spec, ctx)) {
    return [];
  }

  return visitContainers(spec)
    .filter((c) => typeof c.sc?.procMount === 'string' && c.sc.procMount !== 'Default')
    .map((c) => violation('procMount', 'baseline', `procMount=${ text(c.sc?.procMount) }`, [text(c.sc?.procMount)], c.name));
};

export const validSeccompType = (t: string) => t === 'RuntimeDefault' || t === 'Localhost';

/** Before 1.19 seccomp was set with alpha annotations. */
export const seccompBaseline1_0: CheckFn = (meta, spec) => {
  const annotations = stringMap(meta.annotations);
  const valid = (v: string) => v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');
  const out: PssViolation[] = [];
  const podKey = 'seccomp.security.alpha.kubernetes.io/pod';

  if (Object.prototype.hasOwnProperty.call(annotations, podKey) && !valid(annotations[podKey])) {
    out.push(violation('seccompProfile_baseline', 'baseline', `annotation ${ podKey }=${ annotations[podKey] }`, [annotations[podKey]]));
  }
  for (const c of visitContainers(spec)) {
    const key = `container.seccomp.security.alpha.kubernetes.io/${ c.name }`;

    if (Object.prototype.hasOwnProperty.call(annotations, key) && !valid(annotations[key])) {
      out.push(violation('seccompProfile_baseline', 'baseline', `annotation ${ key }=${ annotations[key] }`, [annotations[key]], c.name));
    }
  }

  return out;
};

export const seccompBaseline1_19: CheckFn = (_meta, spec) => {
  const out: PssViolation[] = [];
  const podProfile = field(podSecurityContext(spec), 'seccompProfile');

  if (podProfile && !validSeccompType(text(podProfile.type))) {
    out.push(violation('seccompProfile_baseline', 'baseline', `seccompProfile.type=${ text(podProfile.type) }`, [text(podProfile.type)]));
  }
  for (const c of visitContainers(spec)) {
    const profile = field(c.sc, 'seccompProfile');

    if (profile && !validSeccompType(text(profile.type))) {
      out.push(violation('seccompProfile_baseline', 'baseline', `seccompProfile.type=${ text(profile.type) }`, [text(profile.type)], c.name));
    }
  }

  return out;
};

export const SAFE_SYSCTLS_1_0 = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
export const SAFE_SYSCTLS_1_27 = [...SAFE_SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports'];
export const SAFE_SYSCTLS_1_29 = [
  ...SAFE_SYSCTLS_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
export const SAFE_SYSCTLS_1_32 = [...SAFE_SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];

export function sysctlsCheck(allowed: string[]): CheckFn {
  return (_meta, spec) => {
    const names = records(podSecurityContext(spec)?.sysctls).map((s) => text(s.name)).filter((n) => !allowed.includes(n));

    return names.length ? [violation('sysctls', 'baseline', `sysctls: ${ names.join(', ') }`, names)] : [];
  };
}

function probeHosts(handler: unknown): string[] {
  const h = optRec(handler);

  if (!h) {
    return [];
  }

  return [text(optRec(h.httpGet)?.host), text(optRec(h.tcpSocket)?.host)].filter((host) => host !== '');
}

/** New in 1.34: probes and lifecycle handlers must not point at another host. */
export const hostProbesAndHostLifecycle: CheckFn = (_meta, spec) => {
  const out: PssViolation[] = [];

  for (const c of visitContainers(spec)) {
    const lifecycle = optRec(c.raw.lifecycle);
    const hosts = [
      ...probeHosts(c.raw.livenessProbe), ...probeHosts(c.raw.readinessProbe), ...probeHosts(c.raw.startupProbe),
      ...probeHosts(lifecycle?.postStart), ...probeHosts(lifecycle?.preStop),
    ];

    if (hosts.length) {
      out.push(violation('hostProbesAndHostLifecycle', 'baseline', `probe or lifecycle host ${ uniqueSorted(hosts).join(', ') }`, uniqueSorted(hosts), c.name));
    }
  }

  return out;
};
