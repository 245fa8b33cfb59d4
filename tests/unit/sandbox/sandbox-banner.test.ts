/**
 * The sandbox's header banner (Rancher's `ui-banners` setting): says what is simulated and where to read about a
 * real install; a README link only for a plain GitHub repository URL, since the text is the banner's HTML.
 */
import { installReadmeText, installReadmeUrl, sandboxBannerSetting } from '../../../sandbox/backend/sandbox-banner';

const bannerHtml = (url?: string) => JSON.parse(sandboxBannerSetting(url)).bannerHeader.html as string;

describe('sandbox banner', () => {
  it('is a header banner in the shape FixedBanner reads, naming what is real and what stands in', () => {
    const setting = JSON.parse(sandboxBannerSetting(undefined));

    expect(setting.showHeader).toBe('true');
    expect(setting.bannerHeader.background).toBeTruthy();
    expect(setting.bannerHeader.html).toMatch(/real Kubernetes API server/);
    ['Rancher\'s API', 'Harvester', 'Addon controller', 'DeepFlow\'s querier', 'Grafana'].forEach((part) => expect(setting.bannerHeader.html).toContain(part));
  });

  it('links the README section when the repository URL is known, else names it as text', () => {
    const url = installReadmeUrl('https://github.com/acme/hnm');

    expect(url).toBe('https://github.com/acme/hnm#install-into-rancher');
    expect(bannerHtml(url)).toContain('<a href="https://github.com/acme/hnm#install-into-rancher" target="_blank">README: Install into Rancher</a>');
    expect(bannerHtml(undefined)).not.toContain('<a');
    expect(bannerHtml(undefined)).toContain('README.md, "Install into Rancher"');
    expect(installReadmeText(undefined)).toBe('README.md of this repository, section "Install into Rancher"');
  });

  it('takes no URL that is not a plain GitHub repository', () => {
    ['https://github.com/a/b"><img src=x onerror=alert(1)>', 'javascript:alert(1)', 'https://example.com/a/b', 'https://github.com/a/b/'].forEach((bad) => {
      expect(installReadmeUrl(bad)).toBeUndefined();
    });
  });
});
