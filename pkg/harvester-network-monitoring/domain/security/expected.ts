import { isRecord, records, text } from '../guards';
import { PodTemplate } from './objects';
import { PssViolation } from './pss-common';
import { parseSelector, selectorMatches } from './selectors';
import { ExpectedPrivilege } from './types';

/**
 * Documented privileges. The DeepFlow agent needs host PID/network, eBPF capabilities, an
 * unconfined AppArmor profile and read-only kernel debug paths; findings about exactly those are
 * accepted (`expected`), anything beyond them is not.
 */
export const DEEPFLOW_AGENT_PRIVILEGES: ExpectedPrivilege = {
  id:             'deepflow-agent',
  selector:       { matchLabels: { 'app.kubernetes.io/component': 'agent' } },
  hostNamespaces: ['hostNetwork', 'hostPID'],
  capabilities:   ['SYS_ADMIN', 'BPF', 'PERFMON', 'SYS_RESOURCE', 'SYS_PTRACE', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'SYSLOG'],

  appArmorUnconfined: true,
  readOnlyHostPaths:  [
    '/sys/kernel/debug', '/sys/kernel/btf', '/sys/fs/cgroup', '/var/run/netns', '/run/netns', '/lib/modules', '/usr/src',
    '/etc/os-release',
  ],
  requirePrivilegedNamespace: true,
};

export const DEFAULT_EXPECTED_PRIVILEGES: readonly ExpectedPrivilege[] = [DEEPFLOW_AGENT_PRIVILEGES];

/** The first profile whose selector matches the template's (or its workload's) labels. */
export function profileFor(template: PodTemplate, profiles: readonly ExpectedPrivilege[]): ExpectedPrivilege | undefined {
  return profiles.find((p) => {
    if (!isRecord(p) || (p.namespaces && p.namespaces.length && !p.namespaces.includes(template.namespace))) {
      return false;
    }
    const selector = parseSelector(p.selector);

    return selectorMatches(selector, template.labels) || selectorMatches(selector, template.owner.labels);
  });
}

/** Normalizes an absolute host path; null for relative paths or ones that climb with "..". */
export function normalizeHostPath(path: string): string | null {
  if (!path.startsWith('/')) {
    return null;
  }
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');

  if (parts.includes('..')) {
    return null;
  }

  return `/${ parts.join('/') }`;
}

function pathAllowed(path: string, allowed: readonly string[]): boolean {
  const p = normalizeHostPath(path);

  if (!p) {
    return false;
  }

  return allowed.some((a) => {
    const base = normalizeHostPath(a);

    return !!base && base !== '/' && (p === base || p.startsWith(`${ base }/`));
  });
}

/** A hostPath volume is read-only when every mount of it, in every container, sets readOnly. */
export function hostPathVolumeInfo(template: PodTemplate, volumeName: string): { path: string; readOnly: boolean } | undefined {
  const volume = records(template.spec.volumes).find((v) => v.name === volumeName && isRecord(v.hostPath));

  if (!volume || !isRecord(volume.hostPath)) {
    return undefined;
  }
  let readOnly = true;

  for (const c of template.containers) {
    for (const m of records(c.raw.volumeMounts)) {
      if (m.name === volumeName && m.readOnly !== true) {
        readOnly = false;
      }
    }
  }

  return { path: text(volume.hostPath.path), readOnly };
}

/**
 * Splits a Baseline violation's values into those the profile documents and the rest.
 * Rules a profile cannot cover (privileged, procMount, ...) are entirely unexpected.
 */
export function splitExpected(v: PssViolation, template: PodTemplate, profile: ExpectedPrivilege | undefined): { expected: string[]; unexpected: string[] } {
  if (!profile) {
    return { expected: [], unexpected: v.values };
  }
  const expected: string[] = [];
  const unexpected: string[] = [];
  const sort = (ok: boolean, value: string) => (ok ? expected : unexpected).push(value);

  for (const value of v.values) {
    switch (v.rule) {
    case 'hostNamespaces':
      sort((profile.hostNamespaces || []).includes(value as 'hostPID'), value);
      break;
    case 'hostPorts':
      // With host networking the API server turns every container port into a host port.
      sort(template.hostNetwork && (profile.hostNamespaces || []).includes('hostNetwork'), value);
      break;
    case 'capabilities_baseline':
      sort((profile.capabilities || []).includes(value), value);
      break;
    case 'appArmorProfile':
      sort(profile.appArmorUnconfined === true && value.toLowerCase() === 'unconfined', value);
      break;
    case 'hostPathVolumes': {
      const info = hostPathVolumeInfo(template, value);

      sort(!!info && info.readOnly && pathAllowed(info.path, profile.readOnlyHostPaths || []), value);
      break;
    }
    default:
      unexpected.push(value);
    }
  }

  return { expected, unexpected };
}
