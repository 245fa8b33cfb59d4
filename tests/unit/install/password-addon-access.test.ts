import { generatePassword, validatePassword, MIN_PASSWORD_LENGTH } from '@pkg/domain/install/password';
import {
  buildAddon, buildStackNamespace, validateRepoUrl, installedValuesContent
} from '@pkg/domain/stack/addon';
import {
  accessReviewBody, parseAccessReview, describePermission, INSTALL_PERMISSIONS
} from '@pkg/domain/install/access';

describe('generatePassword', () => {
  it('makes passwords of the requested length from an unambiguous alphabet', () => {
    const pw = generatePassword(32);

    expect(pw).toHaveLength(32);
    expect(pw).toMatch(/^[A-HJ-NP-Za-km-z2-9]+$/);
    expect(generatePassword()).not.toBe(generatePassword());
  });

  it('discards biased bytes instead of folding them', () => {
    // 255 is above the rejection limit; a source that only returns it must never be used as-is.
    let calls = 0;
    const source = (b: Uint8Array) => {
      calls++;
      b.fill(calls < 3 ? 255 : 0);

      return b;
    };

    expect(generatePassword(4, source)).toBe('AAAA');
    expect(calls).toBe(3);
  });
});

describe('validatePassword', () => {
  it('accepts a long matching password', () => {
    expect(validatePassword('correct horse battery', 'correct horse battery')).toEqual([]);
  });

  it('reports short, mismatched and control-character passwords', () => {
    expect(validatePassword('short', 'shorT')).toEqual(['too-short', 'mismatch']);
    expect(validatePassword(`${ 'a'.repeat(MIN_PASSWORD_LENGTH) }\n`, `${ 'a'.repeat(MIN_PASSWORD_LENGTH) }\n`)).toEqual(['control-characters']);
    expect(validatePassword('x'.repeat(200), 'x'.repeat(200))).toEqual(['too-long']);
  });
});

describe('buildAddon', () => {
  it('builds the Addon Harvester deploys the chart from', () => {
    const addon = buildAddon({ repo: 'https://charts.example.com/', version: '0.1.0', valuesContent: 'a: 1\n' });

    expect(addon).toEqual({
      apiVersion: 'harvesterhci.io/v1beta1',
      kind:       'Addon',
      metadata:   { name: 'harvester-network-monitoring', namespace: 'harvester-network-monitoring', labels: { 'app.kubernetes.io/part-of': 'harvester-network-monitoring' } },
      spec:       {
        repo: 'https://charts.example.com/', chart: 'harvester-network-monitoring-stack', version: '0.1.0', enabled: true, valuesContent: 'a: 1\n'
      },
    });
  });

  it('labels the stack namespace for Pod Security (baseline, warn/audit restricted)', () => {
    expect(buildStackNamespace().metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted'
    });
  });

  it('validates the repo URL', () => {
    expect(validateRepoUrl('https://example.com/charts')).toBeUndefined();
    expect(validateRepoUrl('  ')).toBe('empty');
    expect(validateRepoUrl('ftp://x')).toBe('not-http');
    expect(validateRepoUrl('not a url')).toBe('invalid');
    expect(validateRepoUrl('javascript:alert(1)')).toBe('not-http');
  });

  it('reads valuesContent defensively', () => {
    expect(installedValuesContent({ spec: { valuesContent: 'x: 1' } })).toBe('x: 1');
    expect(installedValuesContent(null)).toBe('');
    expect(installedValuesContent({ spec: { valuesContent: 5 } } as any)).toBe('');
  });
});

describe('access reviews', () => {
  it('asks for each install permission and reads the answer', () => {
    const [ns, create] = INSTALL_PERMISSIONS;

    expect(accessReviewBody(create).spec.resourceAttributes).toEqual({
      verb: 'create', group: 'harvesterhci.io', resource: 'addons', namespace: 'harvester-network-monitoring'
    });
    expect(accessReviewBody(ns).spec.resourceAttributes).not.toHaveProperty('namespace');
    expect(parseAccessReview(create, { status: { allowed: true } }).allowed).toBe(true);
    expect(parseAccessReview(create, { status: { allowed: false, reason: 'no' } })).toMatchObject({ allowed: false });
    expect(parseAccessReview(create, 'garbage')).toMatchObject({ allowed: false, error: 'unexpected response' });
    expect(describePermission(ns)).toBe('create namespaces');
  });
});
