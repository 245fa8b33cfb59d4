import { Json, isRecord, num } from '../guards';

/**
 * The API server defaults a pod before PodSecurity admission sees it, and two defaults change what
 * the checks report: a volume without a source becomes an emptyDir, and with host networking every
 * container port becomes a host port. Applying them here keeps verdicts equal to a dry-run's.
 */
const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi',
  'ephemeral', 'image',
];

function defaultVolume(v: Json): Json {
  return VOLUME_SOURCES.some((k) => v[k] !== undefined && v[k] !== null) ? v : { ...v, emptyDir: {} };
}

function defaultHostPorts(list: unknown): unknown {
  if (!Array.isArray(list)) {
    return list;
  }

  return list.map((c) => {
    if (!isRecord(c) || !Array.isArray(c.ports)) {
      return c;
    }

    return {
      ...c,
      ports: c.ports.map((p) => (isRecord(p) && !num(p.hostPort) && num(p.containerPort) !== undefined ? { ...p, hostPort: p.containerPort } : p)),
    };
  });
}

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** The profile field an AppArmor annotation value stands for, as the API server translates it. */
function appArmorFieldOf(value: string): Json | undefined {
  if (value === 'runtime/default') {
    return { type: 'RuntimeDefault' };
  }
  if (value === 'unconfined') {
    return { type: 'Unconfined' };
  }
  if (value.startsWith('localhost/')) {
    return { type: 'Localhost', localhostProfile: value.slice('localhost/'.length) };
  }

  return undefined;
}

const sameProfile = (a: unknown, b: Json) => isRecord(a) && a.type === b.type && (a.localhostProfile || '') === (b.localhostProfile || '');

/**
 * Version skew on create: a container with an AppArmor annotation but no appArmorProfile field gets
 * the field from the annotation, unless the pod-level field already says the same (the API server's
 * applyAppArmorVersionSkew). PodSecurity then sees both the annotation and the field.
 */
function defaultAppArmorFields(list: unknown, annotations: Json, podProfile: unknown): unknown {
  if (!Array.isArray(list)) {
    return list;
  }

  return list.map((c) => {
    const value = isRecord(c) && typeof c.name === 'string' ? annotations[`${ APPARMOR_ANNOTATION_PREFIX }${ c.name }`] : undefined;
    const field = typeof value === 'string' ? appArmorFieldOf(value) : undefined;
    const sc = isRecord(c) && isRecord(c.securityContext) ? c.securityContext : {};

    if (!isRecord(c) || !field || isRecord(sc.appArmorProfile) || sameProfile(podProfile, field)) {
      return c;
    }

    return { ...c, securityContext: { ...sc, appArmorProfile: field } };
  });
}

/** A defaulted copy of the spec; the input is never modified. */
export function withApiDefaults(spec: Json, meta: Json = {}): Json {
  const out: Json = { ...spec };
  const annotations = isRecord(meta.annotations) ? meta.annotations : {};
  const podProfile = isRecord(spec.securityContext) ? spec.securityContext.appArmorProfile : undefined;

  out.containers = defaultAppArmorFields(spec.containers, annotations, podProfile);
  out.initContainers = defaultAppArmorFields(spec.initContainers, annotations, podProfile);
  out.ephemeralContainers = defaultAppArmorFields(spec.ephemeralContainers, annotations, podProfile);
  ['containers', 'initContainers', 'ephemeralContainers'].forEach((k) => {
    if (out[k] === undefined) {
      delete out[k];
    }
  });

  if (Array.isArray(spec.volumes)) {
    out.volumes = spec.volumes.map((v) => (isRecord(v) ? defaultVolume(v) : v));
  }
  if (spec.hostNetwork === true) {
    out.containers = defaultHostPorts(out.containers);
    out.initContainers = defaultHostPorts(out.initContainers);
  }

  return out;
}
