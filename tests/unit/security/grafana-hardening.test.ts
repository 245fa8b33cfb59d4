/**
 * Grafana's browser-side hardening as the Security Review reads it from grafana.ini (Grafana 10.4 keys; an absent
 * key has Grafana's default from conf/defaults.ini), and the residual-risk statement of the same-origin embed.
 */
import { reviewObjects } from '@pkg/domain/security';
import { frameAncestors, grafanaIniFindings } from '@pkg/domain/security/grafana-ini';

const REF = { kind: 'ConfigMap', name: 'hnm-grafana', namespace: 'mon' };
const ids = (ini: string) => grafanaIniFindings(ini, REF, 'hnm-grafana/grafana.ini').map((f) => `${ f.severity } ${ f.id }`);

const HARDENED = `
[security]
allow_embedding = true
disable_gravatar = true
cookie_samesite = strict
content_security_policy = true
content_security_policy_template = """script-src 'self' 'strict-dynamic' $NONCE;object-src 'none';frame-ancestors 'self' https://rancher.example.com;"""
[panels]
disable_sanitize_html = false
[users]
viewers_can_edit = false
[plugins]
plugin_admin_enabled = false
`;

describe('grafanaIniFindings', () => {
  it('leaves only the residual-risk statement for a hardened Grafana', () => {
    expect(ids(HARDENED)).toEqual(['info exposure.grafanaSameOriginFrame']);
  });

  it('applies Grafana\'s defaults to absent keys: no CSP, plugin installs and gravatar are on', () => {
    expect(ids('[security]\nallow_embedding = false\n')).toEqual([
      'info exposure.grafanaSameOriginFrame', 'warning exposure.grafanaCspOff', 'warning exposure.grafanaPluginInstall', 'info exposure.grafanaGravatar',
    ]);
  });

  it.each([
    ['content_security_policy = true', 'content_security_policy = false', ['warning exposure.grafanaCspOff', 'warning exposure.grafanaFramedAnywhere']],
    ['disable_sanitize_html = false', 'disable_sanitize_html = true', ['critical exposure.grafanaSanitizeOff']],
    ['viewers_can_edit = false', 'viewers_can_edit = TRUE', ['warning exposure.grafanaViewersCanEdit']],
    ['plugin_admin_enabled = false', 'plugin_admin_enabled = 1', ['warning exposure.grafanaPluginInstall']],
    ['cookie_samesite = strict', 'cookie_samesite = "none"', ['warning exposure.grafanaCookieSameSite']],
    ['cookie_samesite = strict', 'cookie_samesite = disabled', ['warning exposure.grafanaCookieSameSite']],
    ['disable_gravatar = true', 'disable_gravatar = false', ['info exposure.grafanaGravatar']],
    ["frame-ancestors 'self' https://rancher.example.com;", 'object-src \'none\';', ['warning exposure.grafanaFramedAnywhere']],
    ["frame-ancestors 'self' https://rancher.example.com;", 'frame-ancestors *;', ['warning exposure.grafanaFramedAnywhere']],
  ])('%s -> %s', (from, to, expected) => {
    expect(HARDENED).toContain(from);
    expect(ids(HARDENED.replace(from, to))).toEqual(['info exposure.grafanaSameOriginFrame', ...expected]);
  });

  it('names the setting in the finding parameters', () => {
    const f = grafanaIniFindings(HARDENED.replace('cookie_samesite = strict', 'cookie_samesite = None'), REF, 'hnm-grafana/grafana.ini');

    expect(f.find((x) => x.id === 'exposure.grafanaCookieSameSite')?.params).toEqual({ source: 'hnm-grafana/grafana.ini', namespace: 'mon', sameSite: 'none' });
  });

  it('ignores ini files that are not Grafana configuration', () => {
    expect(ids('[mysqld]\nbind-address = 0.0.0.0\n')).toEqual([]);
    expect(ids('')).toEqual([]);
  });

  it('reads the frame-ancestors directive of a CSP template', () => {
    expect(frameAncestors("script-src 'self';frame-ancestors 'self' https://a.example ; object-src 'none'")).toEqual(["'self'", 'https://a.example']);
    expect(frameAncestors("script-src 'self'")).toBeUndefined();
  });
});

describe('in the Security Review', () => {
  it('reports the .ini keys of ConfigMaps in the reviewed namespaces, with the statement as info', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hnm-grafana', namespace: 'mon' }, data: { 'grafana.ini': HARDENED, 'other.yaml': '[security]\n' } };
    const findings = reviewObjects([cm], { analyses: ['exposure'] }).findings.filter((f) => f.id.startsWith('exposure.grafana'));

    expect(findings.map((f) => [f.severity, f.id, f.params.source])).toEqual([['info', 'exposure.grafanaSameOriginFrame', 'hnm-grafana/grafana.ini']]);
  });
});
