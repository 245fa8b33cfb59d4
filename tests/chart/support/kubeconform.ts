/**
 * Offline schema validation of rendered objects with kubeconform, against the Kubernetes JSON schemas the
 * PyPI package kubernetes-validate installs into .tools/venv.
 *
 * Those schemas carry an https://kubernetes.io/... $id and reference "/api/_definitions.json#/$defs/..." (they are
 * made for kubernetes-validate's own resolver). kubeconform resolves references against $id, which would mean a
 * download, so the schemas of the kinds we need are copied once into a temp directory with the $id dropped and
 * every reference pointing at the local _definitions.json file.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import { K8sObject, KUBE_VERSION, REPO_ROOT, TOOLS_BIN } from '../../support/helm';

export const KUBECONFORM = path.join(TOOLS_BIN, 'kubeconform');

/** Schemas of the target Kubernetes minor (KUBE_VERSION), strict variant: unknown fields are errors. */
export function sourceSchemaDir(): string {
  const lib = path.join(REPO_ROOT, '.tools/venv/lib');
  const python = existsSync(lib) ? readdirSync(lib).find((d) => d.startsWith('python')) : undefined;
  const root = python && path.join(lib, python, 'site-packages/kubernetes_validate/kubernetes-json-schema');

  if (!root || !existsSync(root)) {
    throw new Error('kubernetes-validate schemas not found under .tools/venv: run scripts/setup.sh');
  }
  const minor = KUBE_VERSION.split('.')[1];
  const dir = readdirSync(root).find((d) => d === `v1.${ minor }.0-local-strict`);

  if (!dir) {
    throw new Error(`kubernetes-validate has no schemas for Kubernetes 1.${ minor } in ${ root }`);
  }

  return path.join(root, dir);
}

/** kubeconform's {{.ResourceKind}}{{.KindSuffix}} file name for an object. */
export function schemaFileName(obj: Pick<K8sObject, 'kind' | 'apiVersion'>): string {
  const [groupOrVersion, version] = obj.apiVersion.split('/');
  const suffix = version ? `-${ groupOrVersion.split('.')[0].toLowerCase() }-${ version }` : `-${ groupOrVersion }`;

  return `${ obj.kind.toLowerCase() }${ suffix }.json`;
}

function localize(source: string, target: string, definitionsUrl: string): void {
  const schema = JSON.parse(readFileSync(source, 'utf8'));

  delete schema.$id;
  writeFileSync(target, JSON.stringify(schema).split('"/api/_definitions.json#').join(`"${ definitionsUrl }#`));
}

const preparedDir = () => path.join(tmpdir(), `hnm-kubeconform-schemas-${ process.pid }`);

/** A directory (per test process, under the OS temp dir) holding kubeconform-ready schemas for these objects' kinds. */
export function prepareSchemas(objects: K8sObject[]): string {
  const source = sourceSchemaDir();
  const dir = preparedDir();
  const definitions = path.join(dir, '_definitions.json');
  const definitionsUrl = `file://${ definitions }`;

  mkdirSync(dir, { recursive: true });
  if (!existsSync(definitions)) {
    const defs = JSON.parse(readFileSync(path.join(source, '_definitions.json'), 'utf8'));

    delete defs.$id;
    writeFileSync(definitions, JSON.stringify(defs));
  }
  new Set(objects.map(schemaFileName)).forEach((file) => {
    const target = path.join(dir, file);

    if (!existsSync(target) && existsSync(path.join(source, file))) {
      localize(path.join(source, file), target, definitionsUrl);
    }
  });

  return dir;
}

export interface KubeconformResult {
  ok: boolean;
  /** One line per invalid or unvalidated object: "Kind name: message [path: error]". */
  problems: string[];
}

/**
 * Validates several manifest sets in ONE kubeconform run (it compiles each schema once per run), strictly;
 * objects without a schema count as problems (nothing is skipped). Keyed like the input.
 */
export function kubeconformAll(sets: Record<string, { yaml: string; objects: K8sObject[] }>): Record<string, KubeconformResult> {
  const schemas = prepareSchemas(Object.values(sets).flatMap((s) => s.objects));
  const dir = mkdtempSync(path.join(tmpdir(), 'hnm-kubeconform-input-'));

  try {
    const names = Object.keys(sets);

    names.forEach((name, i) => writeFileSync(path.join(dir, `${ i }.yaml`), sets[name].yaml));
    const r = spawnSync(KUBECONFORM, [
      '-strict', '-output', 'json',
      '-schema-location', path.join(schemas, '{{ .ResourceKind }}{{ .KindSuffix }}.json'),
      dir,
    ], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const report = JSON.parse(r.stdout || '{"resources":[]}');
    const results: Record<string, KubeconformResult> = {};

    names.forEach((name) => {
      results[name] = { ok: true, problems: [] };
    });
    (report.resources || []).filter((res: any) => res.status !== 'statusValid').forEach((res: any) => {
      const name = names[Number(path.basename(res.filename, '.yaml'))];
      const detail = (res.validationErrors || []).map((e: any) => ` [${ e.path }: ${ e.msg }]`).join('');

      results[name].ok = false;
      results[name].problems.push(`${ res.kind } ${ res.name }: ${ res.msg || res.status }${ detail }`);
    });
    if (r.status !== 0 && names.every((n) => results[n].ok)) {
      throw new Error(`kubeconform failed without a report: ${ r.stderr }`);
    }

    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const kubeconform = (yaml: string, objects: K8sObject[]): KubeconformResult => kubeconformAll({ one: { yaml, objects } }).one;

/** Deletes the prepared schema directory (call from afterAll). */
export function removePreparedSchemas(): void {
  rmSync(preparedDir(), { recursive: true, force: true });
}
