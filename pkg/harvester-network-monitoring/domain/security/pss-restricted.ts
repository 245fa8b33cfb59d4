import { isRecord, records, strings, text, uniqueSorted } from '../guards';
import { validSeccompType } from './pss-baseline';
import {
  CheckFn, PssViolation, field, inUserNamespace, isWindowsPod, podSecurityContext, violation, visitContainers
} from './pss-common';

/** The Restricted-only checks of the Pod Security Standards, as k8s.io/pod-security-admission evaluates them. */

/** Volume sources the Restricted level allows; anything else (hostPath, nfs, ...) is rejected. */
export const RESTRICTED_ALLOWED_VOLUMES = [
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret',
];

const NAMED_RESTRICTED_VOLUMES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume',
  'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk',
  'portworxVolume', 'scaleIO', 'storageos',
];

export const restrictedVolumes: CheckFn = (_meta, spec) => {
  const badNames: string[] = [];
  const badTypes: string[] = [];

  for (const v of records(spec.volumes)) {
    if (RESTRICTED_ALLOWED_VOLUMES.some((k) => isRecord(v[k]))) {
      continue;
    }
    badNames.push(text(v.name));
    badTypes.push(NAMED_RESTRICTED_VOLUMES.find((k) => isRecord(v[k])) || 'unknown');
  }

  return badNames.length ? [violation('restrictedVolumes', 'restricted', `volume types: ${ uniqueSorted(badTypes).join(', ') }`, badNames)] : [];
};

function allowPrivilegeEscalationFor(windowsExempt: boolean): CheckFn {
  return (_meta, spec) => {
    if (windowsExempt && isWindowsPod(spec)) {
      return [];
    }

    return visitContainers(spec)
      .filter((c) => c.sc?.allowPrivilegeEscalation !== false)
      .map((c) => violation('allowPrivilegeEscalation', 'restricted', 'allowPrivilegeEscalation != false', ['allowPrivilegeEscalation'], c.name));
  };
}

export const allowPrivilegeEscalation1_8 = allowPrivilegeEscalationFor(false);
export const allowPrivilegeEscalation1_25 = allowPrivilegeEscalationFor(true);

/** Pod-level true covers containers that leave it unset; an explicit false anywhere fails. */
export const runAsNonRoot: CheckFn = (_meta, spec, ctx) => {
  if (inUserNamespace(spec, ctx)) {
    return [];
  }
  const explicit: PssViolation[] = [];
  const implicit: PssViolation[] = [];
  const podValue = podSecurityContext(spec)?.runAsNonRoot;

  if (podValue === false) {
    explicit.push(violation('runAsNonRoot', 'restricted', 'securityContext.runAsNonRoot=false', ['false']));
  }
  for (const c of visitContainers(spec)) {
    const value = c.sc?.runAsNonRoot;

    if (typeof value === 'boolean') {
      if (!value) {
        explicit.push(violation('runAsNonRoot', 'restricted', 'securityContext.runAsNonRoot=false', ['false'], c.name));
      }
    } else if (podValue !== true) {
      implicit.push(violation('runAsNonRoot', 'restricted', 'securityContext.runAsNonRoot unset', ['unset'], c.name));
    }
  }

  return explicit.length ? explicit : implicit;
};

export const runAsUser: CheckFn = (_meta, spec, ctx) => {
  if (inUserNamespace(spec, ctx)) {
    return [];
  }
  const out: PssViolation[] = [];

  if (podSecurityContext(spec)?.runAsUser === 0) {
    out.push(violation('runAsUser', 'restricted', 'runAsUser=0', ['0']));
  }
  for (const c of visitContainers(spec)) {
    if (c.sc?.runAsUser === 0) {
      out.push(violation('runAsUser', 'restricted', 'runAsUser=0', ['0'], c.name));
    }
  }

  return out;
};

/** A container's own seccompProfile overrides the pod's; containers without one inherit a valid pod profile. */
function seccompRestrictedFor(windowsExempt: boolean): CheckFn {
  return (_meta, spec) => {
    if (windowsExempt && isWindowsPod(spec)) {
      return [];
    }
    const explicit: PssViolation[] = [];
    const implicit: PssViolation[] = [];
    const podProfile = field(podSecurityContext(spec), 'seccompProfile');
    let podValid = false;

    if (podProfile) {
      if (validSeccompType(text(podProfile.type))) {
        podValid = true;
      } else {
        explicit.push(violation('seccompProfile_restricted', 'restricted', `seccompProfile.type=${ text(podProfile.type) }`, [text(podProfile.type)]));
      }
    }
    for (const c of visitContainers(spec)) {
      const profile = field(c.sc, 'seccompProfile');

      if (profile) {
        if (!validSeccompType(text(profile.type))) {
          explicit.push(violation('seccompProfile_restricted', 'restricted', `seccompProfile.type=${ text(profile.type) }`, [text(profile.type)], c.name));
        }
      } else if (!podValid) {
        implicit.push(violation('seccompProfile_restricted', 'restricted', 'seccompProfile unset', ['unset'], c.name));
      }
    }

    return explicit.length ? explicit : implicit;
  };
}

export const seccompRestricted1_19 = seccompRestrictedFor(false);
export const seccompRestricted1_25 = seccompRestrictedFor(true);

function capabilitiesRestrictedFor(windowsExempt: boolean): CheckFn {
  return (_meta, spec) => {
    if (windowsExempt && isWindowsPod(spec)) {
      return [];
    }
    const out: PssViolation[] = [];

    for (const c of visitContainers(spec)) {
      const caps = field(c.sc, 'capabilities');
      const dropsAll = strings(caps?.drop).includes('ALL');
      const forbidden = uniqueSorted(strings(caps?.add).filter((cap) => cap !== 'NET_BIND_SERVICE'));
      const problems: string[] = [];

      if (!dropsAll) {
        problems.push('drop ALL missing');
      }
      if (forbidden.length) {
        problems.push(`adds ${ forbidden.join(', ') }`);
      }
      if (problems.length) {
        out.push(violation('capabilities_restricted', 'restricted', problems.join('; '), dropsAll ? forbidden : ['!drop:ALL', ...forbidden], c.name));
      }
    }

    return out;
  };
}

export const capabilitiesRestricted1_22 = capabilitiesRestrictedFor(false);
export const capabilitiesRestricted1_25 = capabilitiesRestrictedFor(true);
