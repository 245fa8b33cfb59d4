/**
 * The installed monitoring stack: exactly the objects the chart renders (the manifests the
 * extension bundles in generated/chart-renderings.json, made by real `helm template`), with the
 * statuses a healthy cluster reports, plus their pods and the Harvester Addon that installed them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { JsonObject } from '../http';
import { CLUSTER_TYPES, TypedObject, typeByKind } from '../types';
import {
  ADDON_NAME, AGENT_NAMESPACE, EXTENSION_REPO_URL, INSTALLED_INTERFACE_REGEX, NODES, STACK_NAMESPACE
} from './constants';
import { REPO_ROOT } from '../../paths';

const RENDERINGS = path.join(REPO_ROOT, 'pkg/harvester-network-monitoring/generated/chart-renderings.json');
const CHART_YAML = path.join(REPO_ROOT, 'charts/harvester-network-monitoring-stack/Chart.yaml');
const INSTALLED = '2026-04-20T09:00:00Z';

export function chartVersion(): string {
  const match = fs.readFileSync(CHART_YAML, 'utf8').match(/^version:\s*"?([^"\s]+)"?/m);

  if (!match) {
    throw new Error(`no version in ${ CHART_YAML }`);
  }

  return match[1];
}

function renderedObjects(): JsonObject[] {
  const data = JSON.parse(fs.readFileSync(RENDERINGS, 'utf8'));

  // The base rendering is the default (proxy) variant the wizard installs unless Grafana is exposed.
  return data.objects;
}

function withStatus(object: JsonObject): JsonObject {
  const o = JSON.parse(JSON.stringify(object));
  const replicas = o.spec?.replicas ?? 1;

  o.metadata = { ...o.metadata, creationTimestamp: INSTALLED };
  switch (o.kind) {
  case 'DaemonSet':
    o.status = {
      desiredNumberScheduled: NODES.length, currentNumberScheduled: NODES.length, numberReady: NODES.length, numberAvailable: NODES.length, updatedNumberScheduled: NODES.length, observedGeneration: 1
    };
    break;
  case 'Deployment':
  case 'StatefulSet':
    o.status = {
      replicas, readyReplicas: replicas, availableReplicas: replicas, updatedReplicas: replicas, observedGeneration: 1
    };
    break;
  case 'PersistentVolumeClaim':
    o.status = { phase: 'Bound', capacity: { storage: o.spec?.resources?.requests?.storage } };
    break;
  case 'Namespace':
    o.status = { phase: 'Active' };
    break;
  case 'Job':
    o.status = {
      startTime:      INSTALLED,
      completionTime: INSTALLED,
      succeeded:      1,
      conditions:     [{ type: 'SuccessCriteriaMet', status: 'True', lastTransitionTime: INSTALLED }, { type: 'Complete', status: 'True', lastTransitionTime: INSTALLED }],
    };
    break;
  default:
    break;
  }

  return o;
}

function podsOf(workload: JsonObject): JsonObject[] {
  const count = workload.kind === 'DaemonSet' ? NODES.length : (workload.spec?.replicas ?? 1);
  const template = workload.spec?.template || {};

  return Array.from({ length: count }, (_, i) => {
    const node = NODES[i % NODES.length];
    const name = workload.kind === 'StatefulSet' ? `${ workload.metadata.name }-${ i }` : `${ workload.metadata.name }-${ (0x5f3a1 + i * 7919).toString(36) }`;
    const ip = workload.kind === 'DaemonSet' ? node.ip : `10.52.${ i % NODES.length }.${ 200 + (name.length % 40) }`;

    return {
      apiVersion: 'v1',
      kind:       'Pod',
      metadata:   {
        name, namespace: workload.metadata.namespace, labels: { ...(template.metadata?.labels || {}) }, creationTimestamp: INSTALLED, ownerReferences: [{ apiVersion: 'apps/v1', kind: workload.kind === 'Deployment' ? 'ReplicaSet' : workload.kind, name: workload.metadata.name, controller: true, uid: `uid-${ workload.metadata.name }` }]
      },
      spec:   { ...(template.spec || {}), nodeName: node.name },
      status: {
        phase: 'Running', podIP: ip, podIPs: [{ ip }], hostIP: node.ip, conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: (template.spec?.containers || []).map((c: JsonObject) => ({ name: c.name, ready: true, restartCount: 0, state: { running: { startedAt: INSTALLED } } }))
      },
    };
  });
}

/** What the chart creates in a healthy cluster, by Steve type (the stack namespace is the installer's, see stackNamespace). */
export function stackWorkloadObjects(): TypedObject[] {
  const out: TypedObject[] = [];
  const push = (object: JsonObject) => {
    const type = typeByKind(CLUSTER_TYPES, object.apiVersion, object.kind);

    if (!type) {
      throw new Error(`the mock has no type for ${ object.apiVersion } ${ object.kind }`);
    }
    out.push({ type, object });
  };

  renderedObjects().map(withStatus).forEach((o) => {
    push(o);
    if (['DaemonSet', 'Deployment', 'StatefulSet'].includes(o.kind)) {
      podsOf(o).forEach(push);
    }
  });

  return out;
}

/** The namespace the wizard creates for the Addon, with its Pod Security labels. */
export function stackNamespace(): JsonObject {
  return {
    apiVersion: 'v1',
    kind:       'Namespace',
    metadata:   {
      name:              STACK_NAMESPACE,
      creationTimestamp: INSTALLED,
      labels:            {
        'app.kubernetes.io/part-of': 'harvester-network-monitoring', 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted'
      }
    },
    status: { phase: 'Active' },
  };
}

export type AddonPhase = 'enabling' | 'deployed' | 'disabling' | 'disabled';

const ADDON_STATUS: Record<AddonPhase, { status: string; condition: string }> = {
  enabling:  { status: 'AddonEnabling', condition: 'OperationInProgress' },
  deployed:  { status: 'AddonDeploySuccessful', condition: 'OperationCompleted' },
  disabling: { status: 'AddonDisabling', condition: 'OperationInProgress' },
  disabled:  { status: 'AddonDisabled', condition: 'OperationCompleted' },
};

/** The Addon status Harvester's addon controller writes in each phase. */
export function addonStatus(phase: AddonPhase): JsonObject {
  const { status, condition } = ADDON_STATUS[phase];

  return { status, conditions: [{ type: condition, status: 'True', lastUpdateTime: new Date().toISOString() }] };
}

export function installedAddon(): JsonObject {
  return {
    apiVersion: 'harvesterhci.io/v1beta1',
    kind:       'Addon',
    metadata:   {
      name: ADDON_NAME, namespace: STACK_NAMESPACE, creationTimestamp: INSTALLED, labels: { 'app.kubernetes.io/part-of': 'harvester-network-monitoring' }
    },
    spec: {
      repo: EXTENSION_REPO_URL, chart: 'harvester-network-monitoring-stack', version: chartVersion(), enabled: true, valuesContent: `global:\n  clusterName: harvester-e2e\nagent:\n  interfaceRegex: '${ INSTALLED_INTERFACE_REGEX }'\n`
    },
    status: addonStatus('deployed'),
  };
}

export { AGENT_NAMESPACE };
