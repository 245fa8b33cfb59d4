/**
 * Real Helm (.tools/bin/helm) against the test API server: install, upgrade, uninstall of the monitoring
 * chart (rendering alone is tests/support/helm.ts). Helm's cache/config live in the server's run dir, so
 * nothing leaks into the user's Helm.
 */
import { execFileSync } from 'child_process';
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { HELM, MONITORING_CHART, parseManifests, renderChart } from '../support/helm';
import { KubeEnv, KubeObject } from '../../sandbox/kube/client';

export interface HelmTarget {
  release: string;
  namespace: string;
  values?: Record<string, unknown>;
}

let valuesFiles = 0;

function valuesArgs(env: KubeEnv, target: HelmTarget): string[] {
  if (!target.values) {
    return [];
  }
  const dir = join(env.runDir, 'helm-values');

  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${ target.namespace }-${ target.release }-${ ++valuesFiles }.yaml`);

  // JSON is YAML: Helm reads it as a values file.
  writeFileSync(file, JSON.stringify(target.values));

  return ['--values', file];
}

export function helm(env: KubeEnv, args: string[]): string {
  try {
    return execFileSync(HELM, args, {
      encoding: 'utf8',
      env:      {
        ...process.env,
        KUBECONFIG:       env.kubeconfig,
        HELM_CACHE_HOME:  join(env.runDir, 'helm/cache'),
        HELM_CONFIG_HOME: join(env.runDir, 'helm/config'),
        HELM_DATA_HOME:   join(env.runDir, 'helm/data'),
      },
      stdio:     ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };

    throw new Error(`helm ${ args.join(' ') } failed: ${ err.stderr || err.message }`);
  }
}

/** `helm template` of the monitoring chart for the pinned Kubernetes version (hooks included). */
export function helmTemplate(target: HelmTarget): KubeObject[] {
  return renderChart({ release: target.release, namespace: target.namespace, values: target.values }).objects;
}

/**
 * `helm install` / `helm upgrade` without hooks: a hook Job makes Helm wait for its completion, which never
 * comes without controllers (callers check hook objects with a dry-run instead).
 */
export function helmRelease(env: KubeEnv, command: 'install' | 'upgrade', target: HelmTarget, extraArgs: string[] = []): string {
  return helm(env, [command, target.release, MONITORING_CHART, '--namespace', target.namespace, '--no-hooks', ...valuesArgs(env, target), ...extraArgs]);
}

export function helmUninstall(env: KubeEnv, target: HelmTarget): string {
  return helm(env, ['uninstall', target.release, '--namespace', target.namespace]);
}

/** The objects of the release as stored by Helm (`helm get manifest`, hooks excluded). */
export function helmManifest(env: KubeEnv, target: HelmTarget): KubeObject[] {
  return parseManifests(helm(env, ['get', 'manifest', target.release, '--namespace', target.namespace]));
}
