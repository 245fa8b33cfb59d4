/**
 * Pod Security admission agreement: every pod spec of the corpus is dry-run created in a namespace
 * enforcing baseline (warning at restricted) and one enforcing restricted on the real API server, and
 * the security engine (domain/security/pss.ts) must reach the same verdicts, reasons and warnings.
 */
import { KubeClient } from '../../sandbox/kube/client';
import { connect } from './harness';
import { compareWithEngine, formatDisagreement, summarize } from './pss-corpus/compare';
import { PSS_CORPUS } from './pss-corpus/corpus';
import { createPssNamespaces, observe, PssNamespace, ServerVerdict } from './pss-corpus/observe';
import { PSS_REASONS, reasonsIn, singular } from './pss-corpus/reasons';

jest.setTimeout(120_000);

let kube: KubeClient;
let namespaces: { baseline: PssNamespace; restricted: PssNamespace };
const observed = new Map<string, { baseline: ServerVerdict; restricted: ServerVerdict }>();

beforeAll(async() => {
  kube = await connect();
  namespaces = await createPssNamespaces(kube, 'pss');
  for (const pssCase of PSS_CORPUS) {
    observed.set(pssCase.name, {
      baseline:   await observe(kube, namespaces.baseline.name, pssCase),
      restricted: await observe(kube, namespaces.restricted.name, pssCase),
    });
  }
});

afterAll(() => kube?.close());

function singularSet(reasons: string[]): string[] {
  return [...new Set(reasons.map(singular))].sort();
}

describe('Pod Security corpus', () => {
  it('has unique names and at least 40 pod specs', () => {
    expect(new Set(PSS_CORPUS.map((c) => c.name)).size).toBe(PSS_CORPUS.length);
    expect(PSS_CORPUS.length).toBeGreaterThanOrEqual(40);
  });

  it('makes every PodSecurity rule fail in some case, and has a fully passing case for every rule group', () => {
    const failing = new Set(PSS_CORPUS.flatMap((c) => [...c.expected.baseline, ...c.expected.restricted]));

    expect(Object.values(PSS_REASONS).filter((reason) => !failing.has(reason))).toEqual([]);

    const rules = new Set(PSS_CORPUS.map((c) => c.rule));
    const withoutBothOutcomes = [...rules].filter((rule) => {
      const cases = PSS_CORPUS.filter((c) => c.rule === rule);

      return !(cases.some((c) => c.expected.restricted.length === 0) && cases.some((c) => c.expected.restricted.length > 0));
    });

    // 'combined' (an agent-like pod breaking several rules at once) only fails by design.
    expect(withoutBothOutcomes).toEqual(['combined']);
  });

  it('gets the verdicts the corpus intends from the real API server', () => {
    const mismatches: string[] = [];

    for (const pssCase of PSS_CORPUS) {
      const server = observed.get(pssCase.name)!;
      const actual = { baseline: singularSet(server.baseline.reasons), restricted: singularSet(server.restricted.reasons) };

      if (JSON.stringify(actual) !== JSON.stringify(pssCase.expected)) {
        mismatches.push(`${ pssCase.name }: expected ${ JSON.stringify(pssCase.expected) }, API server ${ JSON.stringify(actual) }`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('gets the same restricted reasons as warnings in the baseline namespace as denials in the restricted one', () => {
    // The API server adds no warnings to a request it rejects: only pods the baseline namespace admitted.
    const admitted = PSS_CORPUS.map((c) => ({ name: c.name, server: observed.get(c.name)! })).filter((c) => c.server.baseline.allowed);

    expect(admitted.map((c) => ({ name: c.name, warned: singularSet(c.server.baseline.warnReasons) })))
      .toEqual(admitted.map((c) => ({ name: c.name, warned: singularSet(c.server.restricted.reasons) })));
  });

  it('parses PodSecurity messages into reasons', () => {
    expect(reasonsIn('pods "x" is forbidden: violates PodSecurity "restricted:latest": forbidden AppArmor profiles (pod must not set AppArmor profile type to "Unconfined", "unconfined"), hostPort (container "a" uses hostPort 80)'))
      .toEqual([PSS_REASONS.appArmorProfile, PSS_REASONS.hostPorts]);
  });
});

describe('security engine agreement with PodSecurity admission', () => {
  it('reaches the API server\'s verdict, reasons and warnings for every corpus pod', () => {
    const comparisons = PSS_CORPUS.flatMap((pssCase) => {
      const server = observed.get(pssCase.name)!;

      return [compareWithEngine(pssCase, namespaces.baseline, server.baseline), compareWithEngine(pssCase, namespaces.restricted, server.restricted)];
    });
    const { line, disagreements } = summarize('Pod Security corpus', PSS_CORPUS.length, comparisons);

    process.stdout.write(line);
    expect(disagreements.map(formatDisagreement)).toEqual([]);
  });
});
