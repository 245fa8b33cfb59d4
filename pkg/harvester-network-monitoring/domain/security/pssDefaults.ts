import {
  Json, isRecord, num
} from './guards';

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

/** A defaulted copy of the spec; the input is never modified. */
export function withApiDefaults(spec: Json): Json {
  const out: Json = { ...spec };

  if (Array.isArray(spec.volumes)) {
    out.volumes = spec.volumes.map((v) => (isRecord(v) ? defaultVolume(v) : v));
  }
  if (spec.hostNetwork === true) {
    out.containers = defaultHostPorts(spec.containers);
    out.initContainers = defaultHostPorts(spec.initContainers);
  }

  return out;
}

