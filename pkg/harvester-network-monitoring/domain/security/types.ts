/**
 * The public vocabulary of the security review. Findings carry codes and parameters only; the
 * English (or any other) text lives in l10n under
 * `networkMonitoring.security.findings.<id>.{title,explanation,fix}`.
 */
export type Severity = 'info' | 'warning' | 'critical';

export type Analysis = 'pss' | 'rbac' | 'netpol' | 'exposure';

export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];
export const ANALYSES: readonly Analysis[] = ['pss', 'rbac', 'netpol', 'exposure'];

export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
  container?: string;
}

export interface Finding {
  /** Stable code, e.g. 'pss.baseline.hostNamespaces'; the l10n key below `findings`. */
  id: string;
  analysis: Analysis;
  severity: Severity;
  object: ObjectRef;
  /** Interpolated into the l10n text as plain text, never markup. Never holds a secret value. */
  params: Record<string, string | number>;
  /** True when the finding is a documented, accepted privilege (e.g. the DeepFlow agent's capabilities). */
  expected?: boolean;
}

export type PssLevel = 'privileged' | 'baseline' | 'restricted';

/** A cluster-wide PodSecurity default, as in the apiserver's PodSecurityConfiguration `defaults`. */
export interface AdmissionDefaults {
  enforce?: PssLevel;
  'enforce-version'?: string;
  warn?: PssLevel;
  'warn-version'?: string;
  audit?: PssLevel;
  'audit-version'?: string;
}

/**
 * A documented privilege profile. Pod templates matching `selector` (and `namespaces`, when set)
 * may use exactly these privileges; their findings are then marked `expected` and never critical.
 */
export interface ExpectedPrivilege {
  /** Short code naming the profile, e.g. 'deepflow-agent'; shown as a finding parameter. */
  id: string;
  selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  namespaces?: string[];
  hostNamespaces?: ('hostNetwork' | 'hostPID' | 'hostIPC')[];
  /** Capabilities beyond the baseline default set that are documented as needed. */
  capabilities?: string[];
  appArmorUnconfined?: boolean;
  /** Host paths (and anything below them) that may be mounted, read-only only. */
  readOnlyHostPaths?: string[];
  /** Expected only while the namespace's enforce level is privileged (default true). */
  requirePrivilegedNamespace?: boolean;
}

export interface ReviewOptions {
  /** Node addresses (CIDRs or single IPs), used to decide whether an ipBlock admits host-network pods and kubelet traffic. */
  nodeCIDRs?: string[];
  /** Addresses the API server proxies from; defaults to nodeCIDRs (RKE2 runs kube-apiserver on the node network). */
  apiServerCIDRs?: string[];
  /** Ports that Rancher reaches through the API server's service proxy (default: Grafana 3000, querier 20416). */
  apiServerProxyPorts?: number[];
  /** Replaces the built-in DeepFlow agent profile; pass [] to treat every privilege as unexpected. */
  expectedPrivileges?: ExpectedPrivilege[];
  /** When set, only objects in these namespaces (and the ServiceAccounts there) are reported on. */
  focusNamespaces?: string[];
  /** Namespace assumed for namespaced objects that carry none (e.g. `helm template` output). Default 'default'. */
  defaultNamespace?: string;
  /** The cluster's PodSecurity defaults for unlabelled namespaces (default: privileged, latest). */
  admissionDefaults?: AdmissionDefaults;
  /** Namespaces exempt from PodSecurity admission in the cluster's configuration. */
  exemptNamespaces?: string[];
  /** Run only these analyses (default: all). */
  analyses?: Analysis[];
}

export interface SeverityCounts {
  critical: number;
  warning: number;
  info: number;
  total: number;
}

export interface ScoreSummary {
  /** 0–100, see score.ts for the formula. */
  score: number;
  band: 'good' | 'fair' | 'poor' | 'bad';
  bySeverity: SeverityCounts;
  byAnalysis: Record<Analysis, SeverityCounts>;
  /** How many findings are documented, accepted privileges. */
  expected: number;
}
