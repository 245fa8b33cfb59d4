/**
 * Renders Helm charts with the real helm binary the setup builds (.tools/bin/helm) and gives typed access to
 * the rendered objects. Values are passed as a JSON values file (JSON is YAML), never through a shell.
 *
 *   const { objects } = renderChart({ values: { server: { replicas: 3 } } });
 *   const deployment = findObject(objects, 'Deployment', 'hnm-server');
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import { loadAll } from 'js-yaml';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const TOOLS_BIN = path.join(REPO_ROOT, '.tools/bin');
export const HELM = process.env.HELM || path.join(TOOLS_BIN, 'helm');
export const MONITORING_CHART = path.join(REPO_ROOT, 'charts/harvester-network-monitoring-stack');

/** Kubernetes version the project targets (tools/versions.env KUBE_VERSION), as helm's --kube-version. */
export const KUBE_VERSION = `v${ readFileSync(path.join(REPO_ROOT, 'tools/versions.env'), 'utf8').match(/^KUBE_VERSION=(.+)$/m)?.[1] }`;

/** Release name and namespace of the Harvester Addon install (the Addon's name and namespace). */
export const ADDON_RELEASE = 'harvester-network-monitoring';
export const ADDON_NAMESPACE = 'harvester-network-monitoring';

/** A rendered Kubernetes object; only the identifying fields are typed. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  [field: string]: any;
}

export interface RenderOptions {
  chart?: string;
  release?: string;
  namespace?: string;
  kubeVersion?: string;
  values?: Record<string, unknown>;
}

export interface HelmResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

export interface Rendered {
  yaml: string;
  objects: K8sObject[];
}

export class HelmError extends Error {
  constructor(readonly args: string[], readonly result: HelmResult) {
    super(`helm ${ args.join(' ') } failed:\n${ result.stderr.trim() || result.stdout.trim() }`);
  }
}

function assertHelm(): void {
  if (!existsSync(HELM)) {
    throw new Error(`helm not found at ${ HELM }: run scripts/setup.sh (it builds .tools/bin/helm)`);
  }
}

/** Runs helm with a temporary values file; never throws on a helm failure (see ok/stderr). */
export function runHelm(command: 'template' | 'lint', opts: RenderOptions = {}): HelmResult {
  assertHelm();
  const dir = mkdtempSync(path.join(tmpdir(), 'helm-values-'));
  const valuesFile = path.join(dir, 'values.json');

  writeFileSync(valuesFile, JSON.stringify(opts.values || {}));
  const chart = opts.chart || MONITORING_CHART;
  const args = command === 'template' ? ['template', opts.release || ADDON_RELEASE, chart] : ['lint', chart, '--strict'];

  args.push('--namespace', opts.namespace || ADDON_NAMESPACE, '--kube-version', opts.kubeVersion || KUBE_VERSION, '-f', valuesFile);
  try {
    const r = spawnSync(HELM, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

    return { ok: r.status === 0, stdout: r.stdout || '', stderr: r.stderr || String(r.error || '') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parses a multi-document YAML stream into objects, skipping empty documents. */
export function parseManifests(yaml: string): K8sObject[] {
  return (loadAll(yaml) as unknown[]).filter((doc): doc is K8sObject => !!doc && typeof doc === 'object' && 'kind' in doc);
}

/** `helm template`; throws HelmError (with helm's message) when rendering fails. */
export function renderChart(opts: RenderOptions = {}): Rendered {
  const result = runHelm('template', opts);

  if (!result.ok) {
    throw new HelmError(['template', JSON.stringify(opts.values || {})], result);
  }

  return { yaml: result.stdout, objects: parseManifests(result.stdout) };
}

/** `helm lint --strict`. */
export function lintChart(opts: RenderOptions = {}): HelmResult {
  return runHelm('lint', opts);
}

/** "Kind namespace/name", the way failures name an object. */
export function objectRef(obj: K8sObject): string {
  return `${ obj.kind } ${ obj.metadata.namespace ? `${ obj.metadata.namespace }/` : '' }${ obj.metadata.name }`;
}

export function findObjects(objects: K8sObject[], kind: string, filter: { namespace?: string; labels?: Record<string, string> } = {}): K8sObject[] {
  return objects.filter((o) => o.kind === kind &&
    (filter.namespace === undefined || o.metadata.namespace === filter.namespace) &&
    Object.entries(filter.labels || {}).every(([k, v]) => o.metadata.labels?.[k] === v));
}

/** The one object of this kind and name (and namespace, when given); throws a message listing what exists. */
export function findObject(objects: K8sObject[], kind: string, name: string, namespace?: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));

  if (found.length !== 1) {
    const same = objects.filter((o) => o.kind === kind).map(objectRef);

    throw new Error(`expected exactly one ${ kind } ${ namespace ? `${ namespace }/` : '' }${ name }, found ${ found.length }; ${ kind } objects: ${ same.join(', ') || 'none' }`);
  }

  return found[0];
}

export function hasObject(objects: K8sObject[], kind: string, name: string, namespace?: string): boolean {
  return objects.some((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
}
