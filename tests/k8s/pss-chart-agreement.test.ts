/**
 * Pod Security agreement for the chart: every pod template the chart renders (every install variant) is
 * dry-run created in a namespace enforcing baseline, one enforcing restricted, and one labelled like the
 * namespace the chart puts it in; the security engine must reach the API server's verdicts in all three.
 */
import { buildStackNamespace } from '@pkg/domain/stack/addon';
import { KubeClient, KubeObject } from '../../sandbox/kube/client';
import { ChartPod, chartPods, chartVariants } from './chart-variants';
import { connect, uniqueName } from './harness';
import { helmTemplate } from './helm-cli';
import { compareWithEngine, formatDisagreement, summarize } from './pss-corpus/compare';
import { createPssNamespaces, observe, PssNamespace, ServerVerdict } from './pss-corpus/observe';

jest.setTimeout(120_000);

interface ChartObservation {
  pod: ChartPod;
  /** Each namespace the pod was tried in, with the API server's verdict there. */
  results: { ns: PssNamespace; server: ServerVerdict }[];
}

let kube: KubeClient;
const observations: ChartObservation[] = [];

function podSecurityLabelsOf(labels: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => k.startsWith('pod-security.kubernetes.io/')));
}

/** A test namespace with the PodSecurity labels of a namespace of the chart. */
async function labelledLike(labels: Record<string, string> | undefined): Promise<PssNamespace> {
  const ns = { name: uniqueName('pss-chart'), labels: podSecurityLabelsOf(labels) };

  await kube.ensureNamespace(ns.name, ns.labels);

  return ns;
}

beforeAll(async() => {
  kube = await connect();
  const levels = await createPssNamespaces(kube, 'pss-chart');

  for (const variant of chartVariants(uniqueName('pss'))) {
    const objects: KubeObject[] = helmTemplate({ release: 'hnm', namespace: variant.stackNamespace, values: variant.values });
    // The agent namespace as the chart renders it; the stack namespace as the installer creates it (it is the
    // release namespace, which the chart does not render).
    const agentNamespace = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === variant.agentNamespace);
    const own = {
      agent: await labelledLike(agentNamespace?.metadata.labels),
      stack: await labelledLike(buildStackNamespace().metadata.labels),
    };

    for (const pod of chartPods(objects, variant.stackNamespace)) {
      const renamed = { ...pod, name: `${ variant.id }-${ pod.name }` };
      const results = [];

      for (const ns of [levels.baseline, levels.restricted, pod.namespace === variant.agentNamespace ? own.agent : own.stack]) {
        results.push({ ns, server: await observe(kube, ns.name, renamed) });
      }
      observations.push({ pod: renamed, results });
    }
  }
});

afterAll(() => kube?.close());

describe('security engine agreement with PodSecurity admission on the chart', () => {
  it('reaches the API server\'s verdicts for every pod template the chart renders (every install variant)', () => {
    const comparisons = observations.flatMap(({ pod, results }) => results.map(({ ns, server }) => compareWithEngine(pod, ns, server)));
    const workloads = new Set(observations.map((o) => o.pod.workload));
    const { line, disagreements } = summarize(
      `Chart pod templates (${ workloads.size } workloads, ${ chartVariants('count').length } variants, each in baseline, restricted and its own namespace)`, observations.length, comparisons
    );

    process.stdout.write(line);
    expect(observations.length).toBeGreaterThan(0);
    expect(disagreements.map(formatDisagreement)).toEqual([]);
  });
});
