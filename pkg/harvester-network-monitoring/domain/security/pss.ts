import { rec, stringMap } from '../guards';
import { withApiDefaults } from './pss-defaults';
import * as B from './pss-baseline';
import * as R from './pss-restricted';
import {
  CheckFn, PssCheckLevel, PssRuleId, PssViolation
} from './pss-common';
import { AdmissionDefaults, PssLevel } from './types';

export type { PssRuleId, PssViolation, PssCheckLevel } from './pss-common';

/**
 * Pod Security Standards evaluation, mirroring the PodSecurity admission plugin of Kubernetes 1.34:
 * versioned checks, Restricted checks overriding their Baseline counterparts, and namespace label
 * parsing with the same defaults and fallbacks as the API server.
 */

interface VersionedCheck { minMinor: number; run: CheckFn }
interface CheckDef {
  id: PssRuleId;
  level: PssCheckLevel;
  /** The API server's ForbiddenReason text for this check. */
  reason: string;
  versions: VersionedCheck[];
  /** Baseline checks this (Restricted) check replaces at the Restricted level. */
  overrides?: PssRuleId[];
}

/** The newest policy version this engine implements; "latest" and newer labels evaluate as this. */
export const MAX_POLICY_MINOR = 34;

const CHECKS: CheckDef[] = [
  { id: 'appArmorProfile', level: 'baseline', reason: 'forbidden AppArmor profile', versions: [{ minMinor: 0, run: B.appArmorProfile }] },
  { id: 'capabilities_baseline', level: 'baseline', reason: 'non-default capabilities', versions: [{ minMinor: 0, run: B.capabilitiesBaseline }] },
  { id: 'hostNamespaces', level: 'baseline', reason: 'host namespaces', versions: [{ minMinor: 0, run: B.hostNamespaces }] },
  { id: 'hostPathVolumes', level: 'baseline', reason: 'hostPath volumes', versions: [{ minMinor: 0, run: B.hostPathVolumes }] },
  { id: 'hostPorts', level: 'baseline', reason: 'hostPort', versions: [{ minMinor: 0, run: B.hostPorts }] },
  {
    id: 'hostProbesAndHostLifecycle', level: 'baseline', reason: 'probe or lifecycle host', versions: [{ minMinor: 34, run: B.hostProbesAndHostLifecycle }]
  },
  { id: 'privileged', level: 'baseline', reason: 'privileged', versions: [{ minMinor: 0, run: B.privileged }] },
  { id: 'procMount', level: 'baseline', reason: 'procMount', versions: [{ minMinor: 0, run: B.procMount }] },
  {
    id: 'seLinuxOptions', level: 'baseline', reason: 'seLinuxOptions', versions: [{ minMinor: 0, run: B.seLinuxOptions1_0 }, { minMinor: 31, run: B.seLinuxOptions1_31 }]
  },
  {
    id: 'seccompProfile_baseline', level: 'baseline', reason: 'seccompProfile', versions: [{ minMinor: 0, run: B.seccompBaseline1_0 }, { minMinor: 19, run: B.seccompBaseline1_19 }]
  },
  {
    id:       'sysctls',
    level:    'baseline',
    reason:   'forbidden sysctls',
    versions: [
      { minMinor: 0, run: B.sysctlsCheck(B.SAFE_SYSCTLS_1_0) }, { minMinor: 27, run: B.sysctlsCheck(B.SAFE_SYSCTLS_1_27) },
      { minMinor: 29, run: B.sysctlsCheck(B.SAFE_SYSCTLS_1_29) }, { minMinor: 32, run: B.sysctlsCheck(B.SAFE_SYSCTLS_1_32) },
    ],
  },
  { id: 'windowsHostProcess', level: 'baseline', reason: 'hostProcess', versions: [{ minMinor: 0, run: B.windowsHostProcess }] },
  {
    id: 'allowPrivilegeEscalation', level: 'restricted', reason: 'allowPrivilegeEscalation != false', versions: [{ minMinor: 8, run: R.allowPrivilegeEscalation1_8 }, { minMinor: 25, run: R.allowPrivilegeEscalation1_25 }]
  },
  {
    id:        'capabilities_restricted',
    level:     'restricted',
    reason:    'unrestricted capabilities',
    versions:  [{ minMinor: 22, run: R.capabilitiesRestricted1_22 }, { minMinor: 25, run: R.capabilitiesRestricted1_25 }],
    overrides: ['capabilities_baseline'],
  },
  {
    id: 'restrictedVolumes', level: 'restricted', reason: 'restricted volume types', versions: [{ minMinor: 0, run: R.restrictedVolumes }], overrides: ['hostPathVolumes']
  },
  { id: 'runAsNonRoot', level: 'restricted', reason: 'runAsNonRoot != true', versions: [{ minMinor: 0, run: R.runAsNonRoot }] },
  { id: 'runAsUser', level: 'restricted', reason: 'runAsUser=0', versions: [{ minMinor: 23, run: R.runAsUser }] },
  {
    id:        'seccompProfile_restricted',
    level:     'restricted',
    reason:    'seccompProfile',
    versions:  [{ minMinor: 19, run: R.seccompRestricted1_19 }, { minMinor: 25, run: R.seccompRestricted1_25 }],
    overrides: ['seccompProfile_baseline'],
  },
];

export const PSS_RULES: readonly { id: PssRuleId; level: PssCheckLevel; reason: string }[] = CHECKS.map(({ id, level, reason }) => ({ id, level, reason }));

/** Baseline IDs sorted, then Restricted IDs sorted: the order the API server lists reasons in. */
const RULE_ORDER: PssRuleId[] = [
  ...CHECKS.filter((c) => c.level === 'baseline').map((c) => c.id).sort(),
  ...CHECKS.filter((c) => c.level === 'restricted').map((c) => c.id).sort(),
];

function implementationAt(check: CheckDef, minor: number): CheckFn | undefined {
  let found: CheckFn | undefined;

  for (const v of check.versions) {
    if (v.minMinor <= minor) {
      found = v.run;
    }
  }

  return found;
}

/** The checks that make up a level at a policy version (minor of v1.x). */
function checksFor(level: PssCheckLevel, minor: number): { id: PssRuleId; run: CheckFn }[] {
  const active = CHECKS
    .map((c) => ({ def: c, run: implementationAt(c, minor) }))
    .filter((c): c is { def: CheckDef; run: CheckFn } => !!c.run);
  const baseline = active.filter((c) => c.def.level === 'baseline');

  if (level === 'baseline') {
    return order(baseline.map((c) => ({ id: c.def.id, run: c.run })));
  }
  const restricted = active.filter((c) => c.def.level === 'restricted');
  const overridden = new Set(restricted.flatMap((c) => c.def.overrides || []));

  return order([...baseline.filter((c) => !overridden.has(c.def.id)), ...restricted].map((c) => ({ id: c.def.id, run: c.run })));
}

function order<T extends { id: PssRuleId }>(list: T[]): T[] {
  return [...list].sort((a, b) => RULE_ORDER.indexOf(a.id) - RULE_ORDER.indexOf(b.id));
}

export interface PolicyVersion {
  /** 'latest' or 'v1.x' as it applies (newer than this engine knows evaluates as latest). */
  label: string;
  minor: number;
}

const VERSION_RE = /^v1\.([0-9]|[1-9][0-9]*)$/;

/** Parses a `-version` label like the API server: invalid values fall back to latest. */
export function parseVersion(value: unknown): { version: PolicyVersion; valid: boolean } {
  if (value === 'latest' || value === undefined) {
    return { version: { label: 'latest', minor: MAX_POLICY_MINOR }, valid: true };
  }
  const m = typeof value === 'string' ? VERSION_RE.exec(value) : null;

  if (!m) {
    return { version: { label: 'latest', minor: MAX_POLICY_MINOR }, valid: false };
  }
  const minor = Number(m[1]);

  return { version: { label: `v1.${ minor }`, minor: Math.min(minor, MAX_POLICY_MINOR) }, valid: true };
}

export interface CheckOptions {
  /** Policy version, 'latest' (default) or 'v1.x'. */
  version?: string;
  /** Apply the API server's pod defaults first, as a real (dry-run) admission does (default true). */
  applyDefaults?: boolean;
  /** Emulates the alpha UserNamespacesPodSecurityStandards feature gate (off in a default 1.34 cluster). */
  relaxForUserNamespaces?: boolean;
}

/**
 * Evaluates one pod (metadata + spec, as in a Pod or a workload's template) against a level.
 * Privileged yields no violations. Input is untrusted: anything malformed is read as unset.
 */
export function checkPodSpec(podMetadata: unknown, podSpec: unknown, level: PssLevel, options: CheckOptions = {}): PssViolation[] {
  if (level !== 'baseline' && level !== 'restricted') {
    return [];
  }
  const minor = parseVersion(options.version).version.minor;
  const meta = rec(podMetadata);
  const spec = options.applyDefaults === false ? rec(podSpec) : withApiDefaults(rec(podSpec), meta);
  const ctx = { relaxForUserNamespaces: options.relaxForUserNamespaces === true };

  return checksFor(level, minor).flatMap((c) => c.run(meta, spec, ctx));
}

/**
 * The API server's ForbiddenReason for each failing check, in its message order. A dry-run
 * rejection reads `violates PodSecurity "<level>:<version>": <reason> (<detail>), ...`.
 */
export function forbiddenReasons(violations: PssViolation[]): string[] {
  const out: string[] = [];

  for (const id of RULE_ORDER) {
    const own = violations.filter((v) => v.rule === id);

    if (!own.length) {
      continue;
    }
    const reason = CHECKS.find((c) => c.id === id)?.reason || id;

    if (id === 'appArmorProfile') {
      // Upstream counts distinct bad field types plus each offending annotation.
      const annotations = own.filter((v) => v.detail.startsWith('annotation ')).length;
      const types = new Set(own.filter((v) => !v.detail.startsWith('annotation ')).flatMap((v) => v.values)).size;

      out.push(annotations + types === 1 ? reason : `${ reason }s`);
    } else {
      out.push(reason);
    }
  }

  return out;
}

export const PSA_LABEL_PREFIX = 'pod-security.kubernetes.io/';
export type AdmissionMode = 'enforce' | 'warn' | 'audit';
export const ADMISSION_MODES: readonly AdmissionMode[] = ['enforce', 'warn', 'audit'];

export interface ModePolicy {
  level: PssLevel;
  version: PolicyVersion;
}

export interface NamespacePolicy {
  enforce: ModePolicy;
  warn: ModePolicy;
  audit: ModePolicy;
  /** Labels the API server would report as invalid, e.g. `pod-security.kubernetes.io/enforce=strict`. */
  errors: { label: string; value: string }[];
}

const isLevel = (v: unknown): v is PssLevel => v === 'privileged' || v === 'baseline' || v === 'restricted';
const RANK: Record<PssLevel, number> = { privileged: 0, baseline: 1, restricted: 2 };

export function compareLevels(a: PssLevel, b: PssLevel): number {
  return Math.sign(RANK[a] - RANK[b]);
}

/**
 * Resolves namespace labels to the policy per mode, like the API server: a missing label uses the
 * cluster default (privileged), an invalid enforce level fails closed (restricted), invalid warn or
 * audit levels fail open (privileged), invalid versions mean latest, and warn follows an explicit,
 * stricter enforce level when it has no label of its own.
 */
export function policyFromLabels(namespaceLabels: unknown, defaults: AdmissionDefaults = {}): NamespacePolicy {
  const labels = stringMap(namespaceLabels);
  const errors: NamespacePolicy['errors'] = [];
  const base = (mode: AdmissionMode): ModePolicy => ({
    level:   isLevel(defaults[mode]) ? defaults[mode] as PssLevel : 'privileged',
    version: parseVersion(defaults[`${ mode }-version` as keyof AdmissionDefaults]).version,
  });
  const policy = { enforce: base('enforce'), warn: base('warn'), audit: base('audit') };
  const has = (key: string) => Object.prototype.hasOwnProperty.call(labels, key);
  let enforceLevelSet = false;

  for (const mode of ADMISSION_MODES) {
    const levelKey = `${ PSA_LABEL_PREFIX }${ mode }`;
    const versionKey = `${ levelKey }-version`;

    if (has(levelKey)) {
      const value = labels[levelKey];

      if (isLevel(value)) {
        policy[mode].level = value;
        enforceLevelSet = enforceLevelSet || mode === 'enforce';
      } else {
        errors.push({ label: levelKey, value });
        policy[mode].level = mode === 'enforce' ? 'restricted' : 'privileged';
      }
    }
    if (has(versionKey)) {
      const parsed = parseVersion(labels[versionKey]);

      policy[mode].version = parsed.version;
      if (!parsed.valid) {
        errors.push({ label: versionKey, value: labels[versionKey] });
      }
    }
  }
  if (!has(`${ PSA_LABEL_PREFIX }warn`) && enforceLevelSet && compareLevels(policy.enforce.level, policy.warn.level) > 0) {
    policy.warn.level = policy.enforce.level;
    if (!has(`${ PSA_LABEL_PREFIX }warn-version`)) {
      policy.warn.version = policy.enforce.version;
    }
  }

  return { ...policy, errors };
}

export interface ModeVerdict {
  level: PssLevel;
  version: string;
  allowed: boolean;
  violations: PssViolation[];
}

export interface AdmissionVerdict {
  enforce: ModeVerdict;
  warn: ModeVerdict;
  audit: ModeVerdict;
  errors: NamespacePolicy['errors'];
  exempt: boolean;
}

export interface AdmissionOptions {
  defaults?: AdmissionDefaults;
  /** The namespace is listed in the cluster's PodSecurity exemptions. */
  exempt?: boolean;
  relaxForUserNamespaces?: boolean;
}

/**
 * What PodSecurity admission does with a pod in a namespace with these labels: each mode evaluated
 * on its own (the API server omits warnings when enforce already rejects; the verdict keeps them).
 */
export function admissionVerdict(namespaceLabels: unknown, podMetadata: unknown, podSpec: unknown, options: AdmissionOptions = {}): AdmissionVerdict {
  const policy = policyFromLabels(namespaceLabels, options.defaults);
  const evaluate = (p: ModePolicy): ModeVerdict => {
    const violations = options.exempt ? [] : checkPodSpec(podMetadata, podSpec, p.level, {
      version: p.version.label, relaxForUserNamespaces: options.relaxForUserNamespaces
    });

    return {
      level: p.level, version: p.version.label, allowed: violations.length === 0, violations
    };
  };

  return {
    enforce: evaluate(policy.enforce),
    warn:    evaluate(policy.warn),
    audit:   evaluate(policy.audit),
    errors:  policy.errors,
    exempt:  options.exempt === true,
  };
}
