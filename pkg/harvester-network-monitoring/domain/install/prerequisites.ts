import { StackState } from '../stack/status';
import { KubeObject, nameOf } from '../stack/k8s';
import { isRecord, str } from '../guards';
import { AccessResult, describePermission } from './access';
import { Totals } from './sizing';
import { millicores, mebibytes } from './quantity';

export type CheckResult = 'pass' | 'warn' | 'fail';
export type CheckId = 'harvester-version' | 'node-count' | 'kernel' | 'storage-class' | 'capacity' | 'permissions' | 'existing-install';

export interface PrerequisiteCheck {
  id: CheckId;
  result: CheckResult;
  /** Selects the message: l10n key networkMonitoring.install.prereq.<id>.<code> (with a .fix hint when not passing). */
  code: string;
  params: Record<string, string | number>;
}

export interface PrerequisiteInput {
  harvesterVersion?: string;
  nodes: KubeObject[];
  storageClasses: KubeObject[];
  /** '' means the cluster default. */
  storageClass: string;
  serverReplicas: number;
  totals: Totals;
  /** The agent's per-node request, which must fit on every node that runs one. */
  agentRequest: { cpu: string; memory: string };
  access: AccessResult[];
  stackState: StackState;
  /** The install source; only its permissions are checked. Default 'repo'. */
  source?: 'repo' | 'bundled';
}

/**
 * Below this kernel DeepFlow's eBPF socket tracer does not load (agent/src/ebpf/user/socket.c
 * check_dependencies: check_kernel_version(4, 14); profiling needs 4.9, profile/profile_common.c). The
 * community agent only logs that and carries on: packet capture over AF_PACKET does not depend on eBPF
 * (agent/src/trident.rs: an EbpfCollector::new error is logged, the dispatchers are built regardless;
 * the kernel-version circuit breaker exists only in the enterprise build). So older kernels are a
 * warning: flows are captured there, AutoTracing/AutoProfiling are not. All DeepFlow v7.1.8.
 */
export const MIN_KERNEL: [number, number] = [4, 14];
/** Harvester releases the chart and the Addon flow are tested with. */
export const SUPPORTED_HARVESTER: [number, number] = [1, 4];
/** Below this Harvester has no Addon mechanism the wizard can use. */
export const MIN_HARVESTER: [number, number] = [1, 2];
/** Share of allocatable capacity above which the install warns. */
export const CAPACITY_WARN_RATIO = 0.5;

const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

function majorMinor(version: string | undefined): [number, number] | undefined {
  const match = (version || '').match(/^v?(\d+)\.(\d+)/);

  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

const atLeast = (v: [number, number], min: [number, number]) => v[0] > min[0] || (v[0] === min[0] && v[1] >= min[1]);
const fmt = (v: [number, number]) => `${ v[0] }.${ v[1] }`;

function checkVersion(version: string | undefined): PrerequisiteCheck {
  const id = 'harvester-version';
  const v = majorMinor(version);
  const params = { version: version || '-', supported: fmt(SUPPORTED_HARVESTER), minimum: fmt(MIN_HARVESTER) };

  if (!v) {
    return {
      id, result: 'warn', code: 'unknown', params
    };
  }
  if (!atLeast(v, MIN_HARVESTER)) {
    return {
      id, result: 'fail', code: 'too-old', params
    };
  }

  return atLeast(v, SUPPORTED_HARVESTER) ? {
    id, result: 'pass', code: 'supported', params
  } : {
    id, result: 'warn', code: 'untested', params
  };
}

function checkNodeCount(nodes: KubeObject[], replicas: number): PrerequisiteCheck {
  const id = 'node-count';
  const params = { nodes: nodes.length, replicas };

  if (nodes.length === 0) {
    return {
      id, result: 'fail', code: 'no-nodes', params
    };
  }

  return nodes.length >= replicas ? {
    id, result: 'pass', code: 'enough', params
  } : {
    id, result: 'fail', code: 'too-few', params
  };
}

function kernelOf(node: KubeObject): string | undefined {
  return isRecord(node.status) && isRecord(node.status.nodeInfo) ? str(node.status.nodeInfo.kernelVersion) : undefined;
}

function checkKernels(nodes: KubeObject[]): PrerequisiteCheck {
  const id = 'kernel';
  const old: string[] = [];
  const unknown: string[] = [];

  nodes.forEach((node) => {
    const version = majorMinor(kernelOf(node));

    if (!version) {
      unknown.push(nameOf(node));
    } else if (!atLeast(version, MIN_KERNEL)) {
      old.push(`${ nameOf(node) } (${ kernelOf(node) })`);
    }
  });
  const params = { minimum: fmt(MIN_KERNEL), nodes: old.join(', '), unknown: unknown.join(', ') };

  if (old.length) {
    return {
      id, result: 'warn', code: 'too-old', params
    };
  }
  if (unknown.length || nodes.length === 0) {
    return {
      id, result: 'warn', code: 'unknown', params
    };
  }

  return {
    id, result: 'pass', code: 'ok', params
  };
}

export function defaultStorageClass(classes: KubeObject[]): string | undefined {
  const found = classes.find((sc) => DEFAULT_CLASS_ANNOTATIONS.some((a) => sc.metadata?.annotations?.[a] === 'true'));

  return found ? nameOf(found) : undefined;
}

function checkStorageClass(classes: KubeObject[], chosen: string): PrerequisiteCheck {
  const id = 'storage-class';

  if (chosen) {
    return classes.some((sc) => nameOf(sc) === chosen) ? {
      id, result: 'pass', code: 'chosen', params: { name: chosen }
    } : {
      id, result: 'fail', code: 'chosen-missing', params: { name: chosen }
    };
  }
  const name = defaultStorageClass(classes);

  return name ? {
    id, result: 'pass', code: 'default', params: { name }
  } : {
    id, result: 'fail', code: 'no-default', params: { name: '' }
  };
}

function allocatable(node: KubeObject): { m: number; mib: number } {
  const a = isRecord(node.status) && isRecord(node.status.allocatable) ? node.status.allocatable : {};

  return { m: millicores(a.cpu) || 0, mib: mebibytes(a.memory) || 0 };
}

function checkCapacity(input: PrerequisiteInput): PrerequisiteCheck {
  const id = 'capacity';
  const sum = input.nodes.map(allocatable).reduce((acc, n) => ({ m: acc.m + n.m, mib: acc.mib + n.mib }), { m: 0, mib: 0 });
  const need = input.totals.requests;
  const agentM = millicores(input.agentRequest.cpu) || 0;
  const agentMib = mebibytes(input.agentRequest.memory) || 0;
  const tooSmall = input.nodes.filter((n) => allocatable(n).m < agentM || allocatable(n).mib < agentMib).map(nameOf);
  const params = {
    needCpu: need.millicores, needMemory: Math.round(need.mebibytes), haveCpu: sum.m, haveMemory: Math.round(sum.mib), nodes: tooSmall.join(', ')
  };

  if (need.millicores > sum.m || need.mebibytes > sum.mib) {
    return {
      id, result: 'fail', code: 'insufficient', params
    };
  }
  if (tooSmall.length) {
    return {
      id, result: 'fail', code: 'node-too-small', params
    };
  }
  if (need.millicores > sum.m * CAPACITY_WARN_RATIO || need.mebibytes > sum.mib * CAPACITY_WARN_RATIO) {
    return {
      id, result: 'warn', code: 'tight', params
    };
  }

  return {
    id, result: 'pass', code: 'ok', params
  };
}

function checkPermissions(access: AccessResult[]): PrerequisiteCheck {
  const id = 'permissions';
  const denied = access.filter((a) => !a.allowed && !a.error).map(describePermission);
  const unknown = access.filter((a) => a.error).map(describePermission);
  const params = { denied: denied.join('; '), unknown: unknown.join('; ') };

  if (denied.length) {
    return {
      id, result: 'fail', code: 'denied', params
    };
  }
  if (unknown.length || access.length === 0) {
    return {
      id, result: 'warn', code: 'unknown', params
    };
  }

  return {
    id, result: 'pass', code: 'ok', params
  };
}

function checkExisting(state: StackState): PrerequisiteCheck {
  const id = 'existing-install';

  return state === 'not-installed' ? {
    id, result: 'pass', code: 'none', params: { state }
  } : {
    id, result: 'fail', code: 'present', params: { state }
  };
}

/** Every prerequisite, in the order the checklist shows them. */
export function evaluatePrerequisites(input: PrerequisiteInput): PrerequisiteCheck[] {
  const nodes = input.nodes.filter(isRecord) as KubeObject[];
  const classes = input.storageClasses.filter(isRecord) as KubeObject[];

  return [
    checkVersion(input.harvesterVersion),
    checkNodeCount(nodes, input.serverReplicas),
    checkKernels(nodes),
    checkStorageClass(classes, input.storageClass),
    checkCapacity({ ...input, nodes }),
    checkPermissions(input.access.filter((a) => !a.source || a.source === (input.source || 'repo'))),
    checkExisting(input.stackState),
  ];
}

export function blockingChecks(checks: PrerequisiteCheck[]): PrerequisiteCheck[] {
  return checks.filter((c) => c.result === 'fail');
}
