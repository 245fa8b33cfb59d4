import { STACK } from './constants';
import { KubeObject } from './k8s';
import { isRecord, str } from '../guards';

export interface AddonInput {
  repo: string;
  version: string;
  valuesContent: string;
  enabled?: boolean;
}

/**
 * The Harvester Addon that installs the stack. Harvester's controller turns it into a Helm release
 * of `chart` from `repo` in the Addon's namespace (harvester/harvester pkg/apis/harvesterhci.io/v1beta1/addon.go).
 */
export function buildAddon(input: AddonInput) {
  return {
    apiVersion: 'harvesterhci.io/v1beta1',
    kind:       'Addon',
    metadata:   {
      name:      STACK.addonName,
      namespace: STACK.stackNamespace,
      labels:    { [STACK.partOfLabel]: STACK.partOfValue },
    },
    spec: {
      repo:          input.repo,
      chart:         STACK.chartName,
      version:       input.version,
      enabled:       input.enabled ?? true,
      valuesContent: input.valuesContent,
    },
  };
}

/** The namespace the Addon lives in; the chart's Pod Security labels for it are set at creation. */
export function buildStackNamespace() {
  return {
    apiVersion: 'v1',
    kind:       'Namespace',
    metadata:   {
      name:   STACK.stackNamespace,
      labels: {
        [STACK.partOfLabel]:                  STACK.partOfValue,
        'pod-security.kubernetes.io/enforce': 'baseline',
        'pod-security.kubernetes.io/warn':    'restricted',
        'pod-security.kubernetes.io/audit':   'restricted',
      },
    },
  };
}

export type RepoError = 'empty' | 'not-http' | 'invalid';

/** The repo must be an http(s) Helm repository URL the cluster can reach. */
export function validateRepoUrl(repo: string): RepoError | undefined {
  if (!repo.trim()) {
    return 'empty';
  }
  let url: URL;

  try {
    url = new URL(repo.trim());
  } catch {
    return 'invalid';
  }

  return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : 'not-http';
}

/**
 * The values YAML of the install (the Addon's valuesContent, else the bundled HelmChart's), so "Edit
 * settings", the agents view and the Overview start from what is installed.
 */
export function installedValuesContent(addon: KubeObject | null | undefined, helmChart?: KubeObject | null): string {
  for (const o of [addon, helmChart]) {
    const text = isRecord(o) && isRecord(o.spec) ? str(o.spec.valuesContent) : undefined;

    if (text) {
      return text;
    }
  }

  return '';
}
