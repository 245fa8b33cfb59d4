import { DEFAULT_EXPECTED_PRIVILEGES, hostPathVolumeInfo, profileFor, splitExpected } from './expected';
import { finding } from './finding';
import { uniqueSorted } from '../guards';
import { ObjectIndex, PodTemplate, namespaceLabels } from './objects';
import {
  AdmissionVerdict, PSA_LABEL_PREFIX, admissionVerdict, checkPodSpec, policyFromLabels
} from './pss';
import { PssRuleId, PssViolation } from './pss-common';
import {
  ExpectedPrivilege, Finding, ReviewOptions, Severity
} from './types';

/**
 * Pod Security findings. Per pod template: what admission does with it (rejected by enforce =
 * critical; only warn/audit = warning, info when every violation is a documented privilege), and
 * one finding per privilege it uses. Baseline privileges that give host access are critical unless
 * documented; Restricted-only gaps are hardening hints (info).
 */

/** Baseline rules whose violation hands a container the host; unexpected ones are critical. */
const HOST_ACCESS_RULES = new Set<PssRuleId>([
  'privileged', 'hostNamespaces', 'hostPathVolumes', 'capabilities_baseline', 'windowsHostProcess', 'procMount',
]);

function describeValues(v: PssViolation, template: PodTemplate, values: string[]): string[] {
  if (v.rule !== 'hostPathVolumes') {
    return values;
  }

  return values.map((name) => {
    const info = hostPathVolumeInfo(template, name);

    return info ? `${ name } (${ info.path }${ info.readOnly ? ', read-only' : '' })` : name;
  });
}

function baseParams(t: PodTemplate) {
  return { workload: t.ref.name, kind: t.ref.kind, namespace: t.namespace };
}

/** `profile` is the template's documented privilege profile, when it applies in this namespace. */
function ruleFindings(template: PodTemplate, violations: PssViolation[], profile: ExpectedPrivilege | undefined): Finding[] {
  const out: Finding[] = [];

  for (const v of violations) {
    const object = v.container === undefined ? template.ref : { ...template.ref, container: v.container };
    const id = `pss.${ v.level }.${ v.rule }`;

    if (v.level === 'restricted') {
      out.push(finding(id, 'pss', 'info', object, { ...baseParams(template), values: v.values, detail: v.detail }));
      continue;
    }
    const { expected, unexpected } = splitExpected(v, template, profile);

    if (expected.length) {
      out.push(finding(id, 'pss', 'info', object, {
        ...baseParams(template), values: describeValues(v, template, expected), detail: v.detail, profile: profile?.id || ''
      }, true));
    }
    if (unexpected.length) {
      const severity: Severity = HOST_ACCESS_RULES.has(v.rule) ? 'critical' : 'warning';

      out.push(finding(id, 'pss', severity, object, {
        ...baseParams(template), values: describeValues(v, template, unexpected), detail: v.detail, profile: ''
      }));
    }
  }

  return out;
}

function admissionFindings(template: PodTemplate, verdict: AdmissionVerdict, allExpected: boolean): Finding[] {
  const rulesOf = (list: PssViolation[]) => uniqueSorted(list.map((v) => v.rule));

  if (!verdict.enforce.allowed) {
    return [finding('pss.admission.rejected', 'pss', 'critical', template.ref, {
      ...baseParams(template), level: verdict.enforce.level, version: verdict.enforce.version, rules: rulesOf(verdict.enforce.violations)
    })];
  }
  const failing = (['warn', 'audit'] as const).filter((m) => !verdict[m].allowed);

  if (!failing.length) {
    return [];
  }
  const strictest = failing.map((m) => verdict[m]).sort((a, b) => (a.level === 'restricted' ? -1 : b.level === 'restricted' ? 1 : 0))[0];

  return [finding('pss.admission.warned', 'pss', allExpected ? 'info' : 'warning', template.ref, {
    ...baseParams(template),
    modes:   failing.join(', '),
    level:   strictest.level,
    version: strictest.version,
    rules:   rulesOf(failing.flatMap((m) => verdict[m].violations)),
  }, allExpected)];
}

function namespaceFindings(index: ObjectIndex, options: ReviewOptions): Finding[] {
  const out: Finding[] = [];
  const withPods = new Set(index.podTemplates.map((t) => t.namespace));
  const exempt = new Set(options.exemptNamespaces || []);

  for (const ns of [...withPods].sort()) {
    if (!index.inFocus(ns)) {
      continue;
    }
    const info = index.namespaces.get(ns);
    const ref = { kind: 'Namespace', name: ns };

    if (exempt.has(ns)) {
      out.push(finding('pss.namespace.exempt', 'pss', 'info', ref, { namespace: ns }));
      continue;
    }
    if (!info || !info.present) {
      out.push(finding('pss.namespace.notFound', 'pss', 'info', ref, { namespace: ns }));
      continue;
    }
    const policy = policyFromLabels(info.labels, options.admissionDefaults);

    for (const e of policy.errors) {
      out.push(finding('pss.namespace.invalidLabel', 'pss', 'warning', ref, { namespace: ns, label: e.label, value: e.value }));
    }
    if (!(`${ PSA_LABEL_PREFIX }enforce` in info.labels) && policy.enforce.level === 'privileged') {
      out.push(finding('pss.namespace.unlabelled', 'pss', 'warning', ref, { namespace: ns }));
    }
  }

  return out;
}

export function reviewPodSecurity(index: ObjectIndex, options: ReviewOptions = {}): Finding[] {
  const out: Finding[] = namespaceFindings(index, options);
  const exempt = new Set(options.exemptNamespaces || []);
  const profiles = options.expectedPrivileges || DEFAULT_EXPECTED_PRIVILEGES;

  for (const t of index.podTemplates) {
    if (!index.inFocus(t.namespace)) {
      continue;
    }
    const labels = namespaceLabels(index, t.namespace);
    const isExempt = exempt.has(t.namespace);
    const verdict = admissionVerdict(labels, t.metadata, t.spec, { defaults: options.admissionDefaults, exempt: isExempt });
    const profile = profileFor(t, profiles);
    // A documented privilege is only accepted where the namespace is meant to allow it.
    const expectedOk = !!profile && (profile.requirePrivilegedNamespace === false || isExempt || verdict.enforce.level === 'privileged');
    const baseline = checkPodSpec(t.metadata, t.spec, 'baseline');
    const restrictedOnly = checkPodSpec(t.metadata, t.spec, 'restricted').filter((v) => v.level === 'restricted');
    const ruleList = ruleFindings(t, [...baseline, ...restrictedOnly], expectedOk ? profile : undefined);
    const baselineUnexpected = ruleList.some((f) => f.id.startsWith('pss.baseline.') && !f.expected);
    const admissionFailures = [...verdict.warn.violations, ...verdict.audit.violations];
    const allExpected = expectedOk && !baselineUnexpected && admissionFailures.every((v) => v.level === 'baseline');

    out.push(...admissionFindings(t, verdict, allExpected), ...ruleList);
  }

  return out;
}
