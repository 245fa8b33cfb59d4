/**
 * l10n keys (under `networkMonitoring.policy`) for every code the policy domain returns, so a page
 * renders verdicts, reasons and problems with `t(key)` and never composes the words itself.
 */
import { DryRunOutcome } from './dry-run';
import { SideReason, SideState, FlowVerdictKind } from './flow-verdict';
import { PolicyFlowFilter } from './flow-filters';
import { SkipReason } from './proposal';
import { YamlProblemCode } from './policy-yaml';
import { RequestProblem } from './apply-request';

const ROOT = 'networkMonitoring.policy';

export const verdictKey = (v: FlowVerdictKind) => `${ ROOT }.verdict.${ v }`;
export const sideStateKey = (s: SideState) => `${ ROOT }.side.${ s }`;
export const reasonKey = (r: SideReason) => `${ ROOT }.reason.${ r }`;
export const filterKey = (f: PolicyFlowFilter) => `${ ROOT }.filter.${ f }`;
export const skipReasonKey = (r: SkipReason) => `${ ROOT }.skip.${ r }`;
export const outcomeKey = (o: DryRunOutcome) => `${ ROOT }.outcome.${ o }`;
export const yamlProblemKey = (c: YamlProblemCode) => `${ ROOT }.yaml.${ c }`;
export const requestProblemKey = (p: RequestProblem) => `${ ROOT }.request.${ p }`;

/** Every code of each kind, for the l10n completeness test and for pickers. */
export const VERDICTS: readonly FlowVerdictKind[] = ['allowed', 'blocked', 'unknown', 'not-enforced'];
export const SIDE_STATES: readonly SideState[] = ['allowed', 'blocked', 'unknown', 'not-enforced', 'unrestricted'];
export const SIDE_REASONS: readonly SideReason[] = [
  'pod-address-unknown', 'node-addresses-unknown', 'range-partly-covered', 'named-port-unknown', 'protocol-undefined',
  'pod-not-listed', 'vm-pod-not-listed', 'service-not-listed', 'no-address',
  'vlan-network', 'host-network', 'node-address', 'external-address', 'service-address', 'resident-node', 'same-pod',
  'service-without-backends', 'backends-differ', 'service-target-port-unknown',
];
export const SKIP_REASONS: readonly SkipReason[] = ['vlan-nic', 'protocol-undefined', 'port-invalid', 'peer-unknown', 'service-without-selector', 'service-without-backends'];
export const OUTCOMES: readonly DryRunOutcome[] = ['allowed', 'cut', 'unknown', 'not-enforced'];
export const YAML_PROBLEMS: readonly YamlProblemCode[] = [
  'too-long', 'syntax', 'empty', 'too-many', 'not-an-object', 'wrong-kind', 'name-invalid', 'namespace-mismatch', 'spec-missing',
];
export const REQUEST_PROBLEMS: readonly RequestProblem[] = ['namespace', 'name', 'kind'];
