import {
  admissionVerdict, checkPodSpec, forbiddenReasons, parseVersion, policyFromLabels
} from '@pkg/domain/security/pss';
import {
  plainSpec, psaLabels, restrictedSpec, rulesOf
} from './helpers';

/** Namespace label handling as the PodSecurity admission plugin does it. */

describe('policyFromLabels', () => {
  it('treats missing labels as privileged/latest (the default cluster configuration)', () => {
    const p = policyFromLabels({});

    expect([p.enforce.level, p.warn.level, p.audit.level]).toEqual(['privileged', 'privileged', 'privileged']);
    expect(p.enforce.version.label).toBe('latest');
    expect(p.errors).toEqual([]);
  });
  it('uses cluster defaults for missing labels', () => {
    const p = policyFromLabels({}, { enforce: 'baseline', 'enforce-version': 'v1.30', audit: 'restricted' });

    expect(p.enforce).toEqual({ level: 'baseline', version: { label: 'v1.30', minor: 30 } });
    expect(p.audit.level).toBe('restricted');
  });
  it('reads each mode', () => {
    const p = policyFromLabels(psaLabels('baseline', 'restricted', 'restricted'));

    expect([p.enforce.level, p.warn.level, p.audit.level]).toEqual(['baseline', 'restricted', 'restricted']);
  });
  it('makes warn follow a stricter explicit enforce level when warn has no label', () => {
    const p = policyFromLabels({ ...psaLabels('restricted'), 'pod-security.kubernetes.io/enforce-version': 'v1.29' });

    expect(p.warn).toEqual({ level: 'restricted', version: { label: 'v1.29', minor: 29 } });
    expect(p.audit.level).toBe('privileged');
  });
  it('keeps an explicit warn label even when enforce is stricter', () => {
    expect(policyFromLabels(psaLabels('restricted', 'privileged')).warn.level).toBe('privileged');
  });
  it('fails closed on an invalid enforce level and open on invalid warn/audit levels', () => {
    const p = policyFromLabels(psaLabels('strict', 'nonsense', 'RESTRICTED'));

    expect([p.enforce.level, p.warn.level, p.audit.level]).toEqual(['restricted', 'privileged', 'privileged']);
    expect(p.errors.map((e) => e.label)).toEqual([
      'pod-security.kubernetes.io/enforce', 'pod-security.kubernetes.io/warn', 'pod-security.kubernetes.io/audit',
    ]);
  });
  it('does not default warn from an invalid enforce label', () => {
    expect(policyFromLabels(psaLabels('bogus')).warn.level).toBe('privileged');
  });
  it.each([
    ['latest', 'latest', true], ['v1.0', 'v1.0', true], ['v1.25', 'v1.25', true], ['v1.34', 'v1.34', true],
    ['v1.99', 'v1.99', true], ['v1.01', 'latest', false], ['1.25', 'latest', false], ['v2.0', 'latest', false], ['', 'latest', false],
  ])('parses the version label %p as %p', (value, label, valid) => {
    expect(parseVersion(value).version.label).toBe(label);
    expect(parseVersion(value).valid).toBe(valid);
  });
  it('evaluates versions newer than the engine as the newest policy it knows', () => {
    expect(parseVersion('v1.99').version.minor).toBe(34);
  });
  it('survives non-string labels and non-object input', () => {
    expect(policyFromLabels({ 'pod-security.kubernetes.io/enforce': 5 }).enforce.level).toBe('privileged');
    expect(policyFromLabels(null).enforce.level).toBe('privileged');
    expect(policyFromLabels(['baseline']).enforce.level).toBe('privileged');
  });
});

describe('admissionVerdict', () => {
  const agentLike = () => plainSpec({ securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }, { hostPID: true, hostNetwork: true });

  it('admits anything in an unlabelled namespace', () => {
    const v = admissionVerdict({}, {}, agentLike());

    expect([v.enforce.allowed, v.warn.allowed, v.audit.allowed]).toEqual([true, true, true]);
  });
  it('rejects a privileged-needing pod under enforce=baseline and lists the rules', () => {
    const v = admissionVerdict(psaLabels('baseline'), {}, agentLike());

    expect(v.enforce.allowed).toBe(false);
    expect(v.enforce.level).toBe('baseline');
    expect(rulesOf(v.enforce.violations)).toEqual(['capabilities_baseline', 'hostNamespaces']);
    // warn defaulted to the enforce level
    expect(v.warn.allowed).toBe(false);
  });
  it('admits under enforce=privileged and reports warn/audit separately', () => {
    const v = admissionVerdict(psaLabels('privileged', 'baseline', 'restricted'), {}, agentLike());

    expect(v.enforce.allowed).toBe(true);
    expect(rulesOf(v.warn.violations)).toEqual(['capabilities_baseline', 'hostNamespaces']);
    expect(rulesOf(v.audit.violations)).toEqual([
      'allowPrivilegeEscalation', 'capabilities_restricted', 'hostNamespaces', 'runAsNonRoot', 'seccompProfile_restricted',
    ]);
  });
  it('admits a restricted-compliant pod under enforce=restricted', () => {
    expect(admissionVerdict(psaLabels('restricted'), {}, restrictedSpec()).enforce.allowed).toBe(true);
  });
  it('honours the enforce-version label', () => {
    const spec = plainSpec({ readinessProbe: { httpGet: { host: '10.0.0.1', port: 8080 } } });
    const labels = { ...psaLabels('baseline'), 'pod-security.kubernetes.io/enforce-version': 'v1.33' };

    expect(admissionVerdict(labels, {}, spec).enforce.allowed).toBe(true);
    expect(admissionVerdict(psaLabels('baseline'), {}, spec).enforce.allowed).toBe(false);
  });
  it('allows everything in an exempt namespace', () => {
    expect(admissionVerdict(psaLabels('restricted'), {}, agentLike(), { exempt: true }).enforce.allowed).toBe(true);
  });
  it('never throws on garbage', () => {
    for (const junk of [null, undefined, 42, 'x', [], [1, 2], { containers: 'nope' }, { containers: [null, 1, 'a'] }]) {
      expect(() => admissionVerdict(junk, junk, junk)).not.toThrow();
      expect(() => checkPodSpec(junk, junk, 'restricted')).not.toThrow();
    }
  });
  it('an invalid enforce label rejects like restricted', () => {
    const v = admissionVerdict(psaLabels('typo'), {}, plainSpec());

    expect(v.enforce.level).toBe('restricted');
    expect(v.enforce.allowed).toBe(false);
    expect(v.errors).toHaveLength(1);
  });
});

describe('forbiddenReasons for annotations', () => {
  it('counts each offending AppArmor annotation, like the API server', () => {
    const spec = { containers: [{ name: 'a', image: 'x:1' }, { name: 'b', image: 'x:1' }] };
    const meta = {
      annotations: {
        'container.apparmor.security.beta.kubernetes.io/a': 'unconfined',
        'container.apparmor.security.beta.kubernetes.io/b': 'unconfined',
      }
    };

    expect(forbiddenReasons(checkPodSpec(meta, spec, 'baseline'))).toEqual(['forbidden AppArmor profiles']);
  });
});
