/**
 * The sandbox says what it is: Rancher's own fixed header banner (management setting `ui-banners`, read by
 * @rancher/shell 3.0.8 components/FixedBanner.vue: {showHeader: 'true', bannerHeader: {...}}). The banner's
 * `html` goes through the shell's v-clean-html (plugins/clean-html.js allows <a>, keeps target=_blank and adds
 * rel=noopener), so the README link is a real link. Sandbox strings are the sandbox's, not extension l10n.
 */
const DEFAULT_SOURCE = 'harvester-network-monitoring/harvester-network-monitoring';

/** The README section on installing into a real Rancher, on the repository's GitHub page. */
export function installReadmeUrl(source = process.env.HNM_GITHUB_SOURCE || DEFAULT_SOURCE): string {
  // It ends up in the banner's HTML: only an <org>/<repo> name is taken.
  const repo = /^[\w.-]+\/[\w.-]+$/.test(source) ? source : DEFAULT_SOURCE;

  return `https://github.com/${ repo }#install-into-rancher`;
}

export function sandboxBannerSetting(readmeUrl = installReadmeUrl()): string {
  const html = '<b>Sandbox</b>: the Kubernetes API server is real; Rancher\'s API, Harvester, the Addon controller, ' +
    'DeepFlow\'s querier (with generated flows) and Grafana are stand-ins on this machine. ' +
    `To monitor a real cluster, see <a href="${ readmeUrl }" target="_blank">README: Install into Rancher</a>.`;

  return JSON.stringify({
    showHeader:   'true',
    bannerHeader: {
      html, color: '#141419', background: '#fde68a', textAlignment: 'center', fontWeight: null, fontStyle: null, fontSize: '14px', textDecoration: null
    },
  });
}
