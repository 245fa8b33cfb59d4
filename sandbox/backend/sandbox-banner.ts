/**
 * The sandbox says what it is: Rancher's own fixed header banner (management setting `ui-banners`, read by
 * @rancher/shell 3.0.8 components/FixedBanner.vue: {showHeader: 'true', bannerHeader: {...}}). The banner's
 * `html` goes through the shell's v-clean-html (plugins/clean-html.js allows <a>, keeps target=_blank and adds
 * rel=noopener), so the README section can be a real link. Sandbox strings are the sandbox's, not extension l10n.
 */
const README_SECTION = 'Install into Rancher';

/**
 * The README section on installing into a real Rancher, on the repository's GitHub page: HNM_REPO_URL, the one
 * setting the catalog's URLs come from (scripts/publish-repo.sh). Unset, no address is known (undefined).
 */
export function installReadmeUrl(repoUrl = process.env.HNM_REPO_URL || ''): string | undefined {
  // It ends up in the banner's HTML: only a plain GitHub repository URL is taken.
  return /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/.test(repoUrl) ? `${ repoUrl }#install-into-rancher` : undefined;
}

/** Where to read about installing into a real Rancher, as text. */
export function installReadmeText(readmeUrl = installReadmeUrl()): string {
  return readmeUrl ? `README, "${ README_SECTION }": ${ readmeUrl }` : `README.md of this repository, section "${ README_SECTION }"`;
}

export function sandboxBannerSetting(readmeUrl = installReadmeUrl()): string {
  const where = readmeUrl ? `<a href="${ readmeUrl }" target="_blank">README: ${ README_SECTION }</a>` : `README.md, "${ README_SECTION }"`;
  // One line at 1440 px.
  const html = '<b>Sandbox</b>: real Kubernetes API server; Rancher\'s API, Harvester, the Addon controller, DeepFlow\'s querier ' +
    `(generated flows) and Grafana are stand-ins. For a real cluster see ${ where }.`;

  return JSON.stringify({
    showHeader:   'true',
    bannerHeader: {
      html, color: '#141419', background: '#fde68a', textAlignment: 'center', fontWeight: null, fontStyle: null, fontSize: '14px', textDecoration: null
    },
  });
}
