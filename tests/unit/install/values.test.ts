import {
  buildValues, diffFromDefaults, valuesYaml, parseValuesYaml, GRAFANA_ADMIN_SECRET, grafanaAdminSecret
} from '@pkg/domain/install/values';
import { CHART_DEFAULTS, defaultSettings, installedSettings } from '@pkg/domain/install/defaults';
import { applyProfile } from '@pkg/domain/install/settings';
import { load } from 'js-yaml';

const settings = () => defaultSettings('https://charts.example.com/', '0.1.0');
const diff = (s = settings()) => diffFromDefaults(buildValues(s), CHART_DEFAULTS);

describe('values the wizard produces', () => {
  it('are empty for the defaults: the chart defaults are the wizard defaults', () => {
    expect(diff()).toEqual({});
    expect(valuesYaml(diff())).toBe('');
  });

  it('carry only what the user changed', () => {
    const s = settings();

    s.serverReplicas = 3;
    s.storageClass = 'fast-ssd';
    s.flowLogTtlHours = 24;
    s.grafana.anonymous = !s.grafana.anonymous;
    expect(diff(s)).toEqual({
      global:    { storageClass: 'fast-ssd' },
      retention: { flowLogHours: 24 },
      server:    { replicas: 3 },
      grafana:   { anonymous: { enabled: s.grafana.anonymous } },
    });
  });

  it('map each exposure to the chart service and ingress settings', () => {
    const s = settings();

    s.grafana.exposure = 'nodeport';
    s.grafana.nodePort = 31999;
    expect(diff(s).grafana).toEqual({ service: { type: 'NodePort', nodePort: 31999 } });
    s.grafana.exposure = 'ingress';
    s.grafana.ingressHosts = 'grafana.example.com, g2.example.com';
    s.grafana.ingressTlsSecret = 'grafana-tls';
    s.grafana.ingressClass = 'nginx';
    expect(diff(s).grafana).toEqual({
      ingress: {
        enabled: true, className: 'nginx', hosts: ['grafana.example.com', 'g2.example.com'], tlsSecretName: 'grafana-tls'
      }
    });
  });

  it('never puts a typed password into the values, only the Secret reference', () => {
    const s = settings();

    s.grafana.generatePassword = false;
    s.grafana.password = 'super-secret-password-1';
    s.grafana.passwordConfirm = s.grafana.password;
    const text = valuesYaml(diff(s));

    expect(text).not.toContain('super-secret');
    expect(diff(s).grafana).toEqual({ admin: { existingSecret: GRAFANA_ADMIN_SECRET } });
    expect(grafanaAdminSecret('ns', 'admin', 'pw').stringData).toEqual({ 'admin-user': 'admin', 'admin-password': 'pw' });
  });

  it('writes explicit resources for a custom profile and the preset name otherwise', () => {
    const s = settings();

    applyProfile(s, 'medium');
    expect(diff(s)).toEqual({ sizing: { profile: 'medium' } });
    applyProfile(s, 'custom');
    s.resources.agent.limits.memory = '1Gi';
    const d = diff(s);

    expect(d.agent.resources.limits.memory).toBe('1Gi');
    expect(d.server.resources).toBeDefined();
  });

  it('carries agent nodes and group configuration as data', () => {
    const s = settings();

    s.agents.nodeNames = ['node-2', 'node-1'];
    s.agents.groupConfig = 'inputs:\n  proc:\n    enabled: false\n';
    expect(diff(s).agent).toEqual({ nodeNames: ['node-1', 'node-2'], groupConfig: { inputs: { proc: { enabled: false } } } });
  });

  it('keep hostile strings as YAML data', () => {
    const s = settings();

    s.agents.interfaceRegex = "^(eth0|x'\": {{ .Values }})$";
    const text = valuesYaml(diff(s));

    expect((load(text) as any).agent.interfaceRegex).toBe(s.agents.interfaceRegex);
  });
});

describe('settings read back from installed values (Edit settings)', () => {
  it('round-trip every field the form shows', () => {
    const s = settings();

    s.serverReplicas = 3;
    s.clickhouseStorage = '50Gi';
    s.grafana.exposure = 'ingress';
    s.grafana.ingressHosts = 'a.example.com';
    s.grafana.ingressTlsSecret = 'tls';
    s.agents.nodeNames = ['n1'];
    s.agents.groupConfig = 'a: 1\n';
    applyProfile(s, 'custom');
    s.resources.mysql.requests.cpu = '300m';
    const back = installedSettings(diff(s), s.repo, s.version);

    expect(back).toEqual(s);
  });

  it('ignore malformed installed values', () => {
    const back = installedSettings({ server: { replicas: 'three' }, agent: { nodeNames: [1, 'n1'] }, grafana: 'x' } as any, '', '');

    expect(back.serverReplicas).toBe(settings().serverReplicas);
    expect(back.agents.nodeNames).toEqual(['n1']);
  });
});

describe('parseValuesYaml', () => {
  it('accepts a mapping or nothing', () => {
    expect(parseValuesYaml('')).toEqual({ ok: true, values: {} });
    expect(parseValuesYaml('a: 1')).toEqual({ ok: true, values: { a: 1 } });
  });

  it('explains what is wrong', () => {
    expect(parseValuesYaml('- 1')).toEqual({ ok: false, detail: 'not a mapping' });
    expect(parseValuesYaml('a: [')).toMatchObject({ ok: false });
  });
});
