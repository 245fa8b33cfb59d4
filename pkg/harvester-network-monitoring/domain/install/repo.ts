import { TYPES } from '../stack/constants';
import chart from '../../../../charts/harvester-network-monitoring-stack/Chart.yaml';
import { isRecord, str } from '../guards';

/** The chart version this build of the extension installs (bundled from the chart's Chart.yaml). */
export const CHART_VERSION: string = chart.version;

/**
 * No repository is assumed when the published one cannot be detected: the wizard then asks for it
 * (README, Catalog URLs: the catalog's address is a publish-time setting, unknown to the bundle).
 */
export const FALLBACK_REPO = '';

const SOURCE_REPO_ANNOTATION = 'catalog.cattle.io/ui-source-repo';

/**
 * A Helm HTTP URL for a Rancher ClusterRepo: an HTTP repo is used as is; a GitHub git repo is read
 * through raw.githubusercontent.com, where the published index.yaml and assets/ sit at the branch root.
 */
export function helmUrlOfClusterRepo(clusterRepo: unknown): string | undefined {
  const spec = isRecord(clusterRepo) && isRecord(clusterRepo.spec) ? clusterRepo.spec : {};
  const url = str(spec.url);

  if (url) {
    return url.endsWith('/') ? url : `${ url }/`;
  }
  const git = (str(spec.gitRepo) || '').match(/^https:\/\/github\.com\/([\w.-]+)\/([\w.-]+?)(\.git)?\/?$/);

  return git ? `https://raw.githubusercontent.com/${ git[1] }/${ git[2] }/${ str(spec.gitBranch) || 'main' }/` : undefined;
}

/** The ClusterRepo an installed extension app came from (Rancher annotates extension apps with it). */
export function sourceRepoName(extensionApp: unknown): string | undefined {
  if (!isRecord(extensionApp)) {
    return undefined;
  }
  const fromChart = extensionApp.spec?.chart?.metadata?.annotations?.[SOURCE_REPO_ANNOTATION];
  const fromMeta = extensionApp.metadata?.annotations?.[SOURCE_REPO_ANNOTATION];

  return str(fromChart) || str(fromMeta);
}

interface Dispatcher { dispatch(action: string, payload?: unknown): Promise<unknown> }

/**
 * The Helm repository this extension was installed from, found through Rancher's records of the
 * extension app and its ClusterRepo; undefined when it cannot be told (e.g. a developer-loaded build).
 */
export async function detectPublishedRepo(store: Dispatcher, extensionName = 'harvester-network-monitoring'): Promise<string | undefined> {
  try {
    const app = await store.dispatch('management/find', { type: TYPES.app, id: `cattle-ui-plugin-system/${ extensionName }` });
    const repoName = sourceRepoName(app);

    if (!repoName) {
      return undefined;
    }

    return helmUrlOfClusterRepo(await store.dispatch('management/find', { type: TYPES.clusterRepo, id: repoName }));
  } catch {
    return undefined;
  }
}
