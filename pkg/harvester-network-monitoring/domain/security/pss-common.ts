import { Json, isRecord, optRec, records, text } from '../guards';

/**
 * Shared vocabulary of the Pod Security Standards checks. Rule IDs are the upstream check IDs of
 * k8s.io/pod-security-admission so results can be compared with a real API server's messages.
 */
export type PssRuleId =
  | 'windowsHostProcess' | 'hostNamespaces' | 'privileged' | 'capabilities_baseline' | 'hostPathVolumes'
  | 'hostPorts' | 'appArmorProfile' | 'seLinuxOptions' | 'procMount' | 'seccompProfile_baseline' | 'sysctls'
  | 'hostProbesAndHostLifecycle'
  | 'restrictedVolumes' | 'allowPrivilegeEscalation' | 'runAsNonRoot' | 'runAsUser' | 'seccompProfile_restricted'
  | 'capabilities_restricted';

export type PssCheckLevel = 'baseline' | 'restricted';

export interface PssViolation {
  rule: PssRuleId;
  level: PssCheckLevel;
  /** The offending container; undefined for pod-level fields (spec.hostNetwork, spec.securityContext, volumes, annotations). */
  container?: string;
  /** Short technical detail (field=value), not user-facing prose. */
  detail: string;
  /** The offending values: capability names, volume names, namespace flags, profile types, ports... */
  values: string[];
}

export interface CheckContext {
  /** The UserNamespacesPodSecurityStandards feature gate (alpha, off by default in 1.34). */
  relaxForUserNamespaces: boolean;
}

export type CheckFn = (metadata: Json, spec: Json, ctx: CheckContext) => PssViolation[];

export interface VisitedContainer {
  name: string;
  raw: Json;
  /** securityContext, or undefined when absent (the API's nil pointer). */
  sc?: Json;
}

/** Containers in the order upstream visits them: init, regular, ephemeral. */
export function visitContainers(spec: Json): VisitedContainer[] {
  const out: VisitedContainer[] = [];

  for (const list of [spec.initContainers, spec.containers, spec.ephemeralContainers]) {
    for (const c of records(list)) {
      out.push({ name: text(c.name), raw: c, sc: optRec(c.securityContext) });
    }
  }

  return out;
}

export function podSecurityContext(spec: Json): Json | undefined {
  return optRec(spec.securityContext);
}

export function isWindowsPod(spec: Json): boolean {
  return isRecord(spec.os) && spec.os.name === 'windows';
}

/** `hostUsers: false` puts the pod in a user namespace. */
export function inUserNamespace(spec: Json, ctx: CheckContext): boolean {
  return ctx.relaxForUserNamespaces && spec.hostUsers === false;
}

export function violation(rule: PssRuleId, level: PssCheckLevel, detail: string, values: string[], container?: string): PssViolation {
  return container === undefined ? { rule, level, detail, values } : { rule, level, container, detail, values };
}

export function field(obj: Json | undefined, key: string): Json | undefined {
  return obj ? optRec(obj[key]) : undefined;
}
