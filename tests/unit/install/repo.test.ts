import {
  helmUrlOfClusterRepo, sourceRepoName, detectPublishedRepo, CHART_VERSION
} from '@pkg/domain/install/repo';

describe('helmUrlOfClusterRepo', () => {
  it('uses an HTTP repo as is and reads a GitHub repo through raw.githubusercontent.com', () => {
    expect(helmUrlOfClusterRepo({ spec: { url: 'https://charts.example.com/hnm' } })).toBe('https://charts.example.com/hnm/');
    expect(helmUrlOfClusterRepo({ spec: { gitRepo: 'https://github.com/acme/hnm.git', gitBranch: 'release' } })).toBe('https://raw.githubusercontent.com/acme/hnm/release/');
    expect(helmUrlOfClusterRepo({ spec: { gitRepo: 'https://github.com/acme/hnm' } })).toBe('https://raw.githubusercontent.com/acme/hnm/main/');
  });

  it('gives up on repos it cannot serve over HTTP', () => {
    expect(helmUrlOfClusterRepo({ spec: { gitRepo: 'https://gitlab.example.com/acme/hnm' } })).toBeUndefined();
    expect(helmUrlOfClusterRepo(null)).toBeUndefined();
  });
});

describe('detectPublishedRepo', () => {
  it('follows the extension app to its ClusterRepo', async() => {
    const store = {
      dispatch: async(_: string, p: any) => (p.type === 'catalog.cattle.io.app' ? { spec: { chart: { metadata: { annotations: { 'catalog.cattle.io/ui-source-repo': 'hnm-repo' } } } } } : { spec: { url: 'https://charts.example.com' } }),
    };

    expect(await detectPublishedRepo(store)).toBe('https://charts.example.com/');
  });

  it('returns undefined when Rancher does not know (or forbids)', async() => {
    expect(await detectPublishedRepo({ dispatch: () => Promise.reject({ _status: 403 }) })).toBeUndefined();
    expect(sourceRepoName({ metadata: {} })).toBeUndefined();
  });

  it('knows the bundled chart version', () => {
    expect(CHART_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});
