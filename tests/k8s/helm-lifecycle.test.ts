/**
 * The monitoring chart's life cycle with real Helm against the real API server: install (defaults and two
 * other variants), upgrade (generated passwords survive through `lookup`), uninstall (data kept), reinstall.
 * No controllers run, so pods never start: what is checked is that the API server accepts every object and
 * that PodSecurity admits every workload's pods in the namespace the chart puts them in.
 */
import { CHART_DEFAULTS } from '@pkg/domain/install/defaults';
import { buildStackNamespace } from '@pkg/domain/stack/addon';
import { KubeClient, KubeObject } from '../../sandbox/kube/client';
import { ChartVariant, chartPods, chartVariants } from './chart-variants';
import { finishNamespaceDeletion } from '../../sandbox/kube/controllers';
import { connect, uniqueName } from './harness';
import {
  HelmTarget, helm, helmManifest, helmRelease, helmTemplate, helmUninstall
} from './helm-cli';
import { observe } from './pss-corpus/observe';

jest.setTimeout(300_000);

const KEEP_ANNOTATION = 'helm.sh/resource-policy';
const HOOK_ANNOTATION = 'helm.sh/hook';

let kube: KubeClient;

beforeAll(async() => {
  kube = await connect();
});

afterAll(() => kube?.close());

function idOf(obj: KubeObject): string {
  return `${ obj.kind } ${ obj.metadata.namespace ? `${ obj.metadata.namespace }/` : '' }${ obj.metadata.name }`;
}

function isKept(obj: KubeObject): boolean {
  return obj.metadata.annotations?.[KEEP_ANNOTATION] === 'keep';
}

async function stored(obj: KubeObject, releaseNamespace: string): Promise<any> {
  return kube.get(obj.apiVersion, obj.kind, obj.metadata.name as string, obj.metadata.namespace ?? releaseNamespace);
}

/** What the installer does before Helm runs: the labelled release namespace, and what the values refer to. */
async function prepare(variant: ChartVariant): Promise<void> {
  await kube.ensureNamespace(variant.stackNamespace, { ...buildStackNamespace().metadata.labels });
  for (const obj of variant.preinstall) {
    await kube.apply(obj, variant.stackNamespace);
  }
  if (variant.storageClass) {
    await kube.apply({
      apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: variant.storageClass }, provisioner: 'driver.longhorn.io', allowVolumeExpansion: true
    });
  }
}

describe.each(chartVariants(uniqueName('life')).map((v) => [v.id, v] as const))('chart life cycle: %s', (_id, variant) => {
  const target: HelmTarget = { release: 'hnm', namespace: variant.stackNamespace, values: variant.values };
  let manifest: KubeObject[] = [];
  const secretsAtInstall = new Map<string, Record<string, string>>();

  it('installs: the API server accepts every object of the release', async() => {
    await prepare(variant);
    helmRelease(kube.env, 'install', target);
    manifest = helmManifest(kube.env, target);
    expect(manifest.length).toBeGreaterThan(0);

    const missing: string[] = [];

    for (const obj of manifest) {
      if (!await stored(obj, target.namespace)) {
        missing.push(idOf(obj));
      }
    }
    expect(missing).toEqual([]);
    for (const secret of manifest.filter((o) => o.kind === 'Secret')) {
      secretsAtInstall.set(idOf(secret), (await stored(secret, target.namespace)).data);
    }
  });

  it('renders no hooks; its configurator Job is installed with the release', async() => {
    const rendered = helmTemplate(target);
    const hooks = rendered.filter((o) => o.metadata.annotations?.[HOOK_ANNOTATION]);
    const jobs = rendered.filter((o) => o.kind === 'Job');

    // Helm waits for hooks, longer than the Addon's helm-controller allows; the configurator is a plain Job.
    expect(hooks).toEqual([]);
    expect(jobs.length > 0).toBe(CHART_DEFAULTS.configurator?.enabled === true);
    for (const job of jobs) {
      expect({ job: idOf(job), stored: !!await kube.get('batch/v1', 'Job', job.metadata.name as string, job.metadata.namespace || target.namespace) })
        .toEqual({ job: idOf(job), stored: true });
    }
  });

  it('has every workload\'s pods admitted by PodSecurity in the namespace the chart puts them in', async() => {
    const verdicts: string[] = [];

    for (const pod of chartPods(helmTemplate(target), target.namespace)) {
      const server = await observe(kube, pod.namespace, pod);

      verdicts.push(`${ pod.workload } in ${ pod.namespace }: ${ server.allowed ? 'allowed' : server.message }`);
    }
    expect(verdicts.length).toBeGreaterThan(0);
    expect(verdicts.filter((v) => !v.endsWith(': allowed'))).toEqual([]);
  });

  it('keeps the generated passwords on helm upgrade (lookup against the real server)', async() => {
    expect(secretsAtInstall.size).toBeGreaterThan(0);
    helmRelease(kube.env, 'upgrade', target);
    // A changed value, so that every template really renders again.
    helmRelease(kube.env, 'upgrade', target, ['--set', 'server.logLevel=debug']);

    for (const secret of manifest.filter((o) => o.kind === 'Secret')) {
      expect({ secret: idOf(secret), data: (await stored(secret, target.namespace)).data })
        .toEqual({ secret: idOf(secret), data: secretsAtInstall.get(idOf(secret)) });
    }
    const history = JSON.parse(helm(kube.env, ['history', target.release, '--namespace', target.namespace, '--output', 'json']));

    expect(history.map((h: { status: string }) => h.status)).toEqual(['superseded', 'superseded', 'deployed']);
  });

  it('refuses to switch ClickHouse between one and several nodes in place, with the reason (lookup of the installed StatefulSet)', () => {
    const installed = variant.values.clickhouse?.replicas ?? 1;
    const other = installed > 1 ? 1 : 3;
    let message = '';

    try {
      helmRelease(kube.env, 'upgrade', target, ['--set', `clickhouse.replicas=${ other }`]);
    } catch (e) {
      message = String((e as Error).message);
    }
    // An external ClickHouse has no StatefulSet to protect; its own check refuses the extra nodes.
    expect(message).toContain(variant.values.clickhouse?.external?.enabled ? 'leave it at 1 with clickhouse.external' : `installed: ${ installed } nodes`);
  });

  it('uninstalls, keeping the data volumes and every object marked helm.sh/resource-policy: keep', async() => {
    manifest = helmManifest(kube.env, target);
    const pvcs = manifest.filter((o) => o.kind === 'PersistentVolumeClaim');

    // External databases have no volume in the cluster.
    expect(pvcs.length > 0).toBe(variant.values.mysql?.external?.enabled !== true);
    expect(pvcs.filter((o) => !isKept(o)).map(idOf)).toEqual([]);

    helmUninstall(kube.env, target);

    const wronglyDeleted: string[] = [];
    const wronglyKept: string[] = [];

    for (const obj of manifest) {
      const now = await stored(obj, target.namespace);
      // Without controllers, objects with finalizers (namespaces) stay Terminating instead of vanishing.
      const gone = !now || !!now.metadata.deletionTimestamp;

      if (isKept(obj) && gone) {
        wronglyDeleted.push(idOf(obj));
      } else if (!isKept(obj) && !gone) {
        wronglyKept.push(idOf(obj));
      }
    }
    expect({ wronglyDeleted, wronglyKept }).toEqual({ wronglyDeleted: [], wronglyKept: [] });
  });

  it('reinstalls over the kept objects and reuses the kept passwords', async() => {
    // Let the namespaces Helm deleted finish terminating, as the namespace controller would.
    for (const ns of manifest.filter((o) => o.kind === 'Namespace' && !isKept(o))) {
      await finishNamespaceDeletion(kube, ns.metadata.name as string);
    }
    helmRelease(kube.env, 'install', target);

    for (const secret of manifest.filter((o) => o.kind === 'Secret' && isKept(o))) {
      expect({ secret: idOf(secret), data: (await stored(secret, target.namespace)).data })
        .toEqual({ secret: idOf(secret), data: secretsAtInstall.get(idOf(secret)) });
    }
  });
});
