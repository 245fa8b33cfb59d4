/** Public surface of the security review engine (plain TypeScript, no Vue). */
export type {
  Severity, Analysis, ObjectRef, Finding, ReviewOptions, ExpectedPrivilege, AdmissionDefaults, PssLevel, ScoreSummary,
  SeverityCounts
} from './types';
export { SEVERITIES, ANALYSES } from './types';

export { reviewObjects } from './review';
export type { ReviewResult } from './review';

export {
  checkPodSpec, admissionVerdict, policyFromLabels, forbiddenReasons, parseVersion, compareLevels, PSS_RULES, MAX_POLICY_MINOR
} from './pss';
export type {
  PssViolation, PssRuleId, PssCheckLevel, AdmissionVerdict, ModeVerdict, NamespacePolicy, CheckOptions, AdmissionOptions
} from './pss';

export {
  effectivePermissions, permissionsForServiceAccount, buildRbacModel, can, ruleAllows, serviceAccountKey, parseServiceAccountKey, serviceAccountGroups
} from './rbac';
export type {
  EffectiveRule, PolicyRule, AccessRequest, RuleSource, RbacModel
} from './rbac';

export {
  analyzeNetworkPolicies, ingressVerdict, egressVerdict, buildPolicySet, targetOf, DEFAULT_API_SERVER_PROXY_PORTS
} from './netpol';
export type {
  PodReachability, AllowEntry, PeerSummary, PortSummary, Verdict, Endpoint, TargetPod
} from './netpol';

export { DEFAULT_EXPECTED_PRIVILEGES, DEEPFLOW_AGENT_PRIVILEGES } from './expected';
export { indexObjects } from './objects';
export type { ObjectIndex, PodTemplate } from './objects';
export { summarize, scoreFromCounts, bandOf } from './score';
export {
  exportJson, exportMarkdown, escapeMarkdown, describeObject
} from './report';
export type { Translate, ReportMeta, ReportInput } from './report';
export { detectDrift } from './drift';
export type { DriftOptions } from './drift';
export { FINDING_IDS, findingTextKey } from './catalog';
export { compareFindings, sortFindings } from './finding';
