import { STACK, TYPES } from './constants';
import { ApiError, classifyApiError } from './errors';
import { StoreLike } from './load';
import { buildAddon, buildStackNamespace, AddonInput } from './addon';
import { nameOf } from './k8s';
import { isRecord } from '../guards';

/** A store model: what `harvester/find` and `harvester/create` resolve to. */
interface Model {
  spec?: any;
  save(): Promise<unknown>;
  remove(): Promise<unknown>;
}

export type LifecycleStep = 'namespace' | 'secret' | 'addon' | 'helmchart' | 'volumes';

/** Where the chart comes from: a Helm repository through a Harvester Addon, or the chart bundled in the extension. */
export type InstallSource = 'repo' | 'bundled';

export class LifecycleError extends Error {
  constructor(public step: LifecycleStep, public api: ApiError) {
    super(`${ step }: ${ api.detail || api.kind }`);
  }
}

/**
 * The one mapping from a failed install/upgrade/enable/disable/uninstall to what the user reads: the
 * l10n key of the step that failed (or of the missing permission) and the server's own words.
 */
export function lifecycleFailure(err: unknown): { key: string; detail: string } {
  const failure = err instanceof LifecycleError ? err : new LifecycleError('addon', classifyApiError(err));

  return {
    key:    `networkMonitoring.install.failed.${ failure.api.kind === 'forbidden' ? 'forbidden' : failure.step }`,
    detail: failure.api.detail || failure.message,
  };
}

const IN_STORE = 'harvester';
const addonId = `${ STACK.stackNamespace }/${ STACK.addonName }`;

async function attempt<T>(step: LifecycleStep, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw err instanceof LifecycleError ? err : new LifecycleError(step, classifyApiError(err));
  }
}

async function findOptional(store: StoreLike, type: string, id: string): Promise<Model | undefined> {
  try {
    const found = await store.dispatch(`${ IN_STORE }/find`, { type, id, opt: { force: true } });

    return isRecord(found) ? found as unknown as Model : undefined;
  } catch (err) {
    if (classifyApiError(err).kind === 'not-found') {
      return undefined;
    }
    throw err;
  }
}

async function createModel(store: StoreLike, type: string, object: object): Promise<Model> {
  // `type` is the store's resource type; a Secret's own Kubernetes type travels as `_type` (Steve's convention).
  return await store.dispatch(`${ IN_STORE }/create`, { ...object, type }) as Model;
}

async function getAddon(store: StoreLike): Promise<Model> {
  const addon = await findOptional(store, TYPES.addon, addonId);

  if (!addon) {
    throw new LifecycleError('addon', { kind: 'not-found', status: 404, detail: addonId });
  }

  return addon;
}

/** A Secret the chart reads (the typed Grafana admin password); replaced when it exists. */
export interface SecretObject {
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  stringData: Record<string, string>;
  [key: string]: unknown;
}

async function putSecret(store: StoreLike, secret: SecretObject | undefined): Promise<void> {
  if (!secret) {
    return;
  }
  await attempt('secret', async() => {
    const existing = await findOptional(store, 'secret', `${ secret.metadata.namespace }/${ secret.metadata.name }`) as (Model & { data?: unknown; stringData?: unknown }) | undefined;

    if (existing) {
      existing.stringData = secret.stringData;
      delete existing.data;
      await existing.save();
    } else {
      await (await createModel(store, 'secret', secret)).save();
    }
  });
}

/** The chart bundled in the extension (63 KB) loads only when an install or upgrade uses it. */
async function bundledHelmChart(valuesContent: string) {
  return (await import('./helmchart')).buildBundledHelmChart(valuesContent);
}

/**
 * Installs the stack: the namespace (with its Pod Security labels) if it does not exist yet, the
 * Secret of a typed Grafana password if any, then the Addon, which Harvester's controller deploys.
 * Each failure names the step that failed.
 */
export async function installStack(store: StoreLike, input: AddonInput, secret?: SecretObject, source: InstallSource = 'repo'): Promise<void> {
  await attempt('namespace', async() => {
    if (!await findOptional(store, TYPES.namespace, STACK.stackNamespace)) {
      await (await createModel(store, TYPES.namespace, buildStackNamespace())).save();
    }
  });
  await putSecret(store, secret);
  if (source === 'bundled') {
    await attempt('helmchart', async() => {
      await (await createModel(store, TYPES.helmChart, await bundledHelmChart(input.valuesContent))).save();
    });

    return;
  }
  await attempt('addon', async() => {
    await (await createModel(store, TYPES.addon, buildAddon(input))).save();
  });
}

/** The HelmChart of a bundled-chart install, if that is how the stack was installed. */
export async function findBundledHelmChart(store: StoreLike): Promise<Model | undefined> {
  try {
    return await findOptional(store, TYPES.helmChart, addonId);
  } catch {
    return undefined; // no permission to read HelmCharts: treat as not installed that way
  }
}

/** Applies new settings to the installed stack; Harvester (or the helm-controller) runs a Helm upgrade. */
export async function upgradeStack(store: StoreLike, input: Omit<AddonInput, 'enabled'>, secret?: SecretObject): Promise<void> {
  await putSecret(store, secret);
  const helmChart = await attempt('helmchart', () => findBundledHelmChart(store));

  if (helmChart) {
    await attempt('helmchart', async() => {
      helmChart.spec = { ...helmChart.spec, ...(await bundledHelmChart(input.valuesContent)).spec };
      await helmChart.save();
    });

    return;
  }
  await attempt('addon', async() => {
    const addon = await getAddon(store);

    addon.spec = {
      ...addon.spec, repo: input.repo, version: input.version, valuesContent: input.valuesContent
    };
    await addon.save();
  });
}

export async function setStackEnabled(store: StoreLike, enabled: boolean): Promise<void> {
  await attempt('addon', async() => {
    const addon = await getAddon(store);

    addon.spec = { ...addon.spec, enabled };
    await addon.save();
  });
}

/**
 * Uninstalls the stack by deleting its Addon (Harvester removes the Helm release). Data volumes are
 * kept by the chart; with `deleteData` their claims are deleted too, and Kubernetes frees them once
 * the pods using them are gone.
 */
export async function uninstallStack(store: StoreLike, deleteData: boolean): Promise<void> {
  const helmChart = await attempt('helmchart', () => findBundledHelmChart(store));

  await attempt(helmChart ? 'helmchart' : 'addon', async() => {
    await (helmChart || await getAddon(store)).remove();
  });
  if (!deleteData) {
    return;
  }
  await attempt('volumes', async() => {
    const claims = await store.dispatch(`${ IN_STORE }/findAll`, { type: 'persistentvolumeclaim', opt: { namespaced: STACK.stackNamespace, force: true } });
    const ours = (Array.isArray(claims) ? claims : []).filter((c: any) => isRecord(c) && c.metadata?.labels?.[STACK.partOfLabel] === STACK.partOfValue);

    await Promise.all(ours.map((c: Model) => c.remove()));

    return ours.map(nameOf);
  });
}
