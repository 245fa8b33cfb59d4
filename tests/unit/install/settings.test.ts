import {
  validateSettings, errorsFor, ingressHostList, InstallSettings
} from '@pkg/domain/install/settings';
import { defaultSettings, HARVESTER_INTERFACE_REGEX } from '@pkg/domain/install/defaults';

const base = () => defaultSettings('https://charts.example.com/', '0.1.0');
const fields = (s: InstallSettings, nodes = 3) => validateSettings(s, nodes).map((e) => `${ e.field }:${ e.code }`);

describe('validateSettings', () => {
  it('accepts the defaults', () => {
    expect(validateSettings(base(), 3)).toEqual([]);
  });

  it('bounds replicas by the node count', () => {
    const s = base();

    s.serverReplicas = 3;
    expect(fields(s, 3)).toEqual([]);
    expect(fields(s, 2)).toEqual(['serverReplicas:replicas']);
    expect(validateSettings(s, 2)[0].params).toEqual({ min: 1, max: 2 });
    s.serverReplicas = 1.5;
    expect(fields(s)).toEqual(['serverReplicas:replicas']);
  });

  it('checks storage sizes and retention', () => {
    const s = base();

    s.clickhouseStorage = '20GB';
    s.mysqlStorage = '100Mi';
    s.flowLogTtlHours = 0;
    s.flowMetricsTtlHours = NaN;
    expect(fields(s)).toEqual(['clickhouseStorage:storage', 'mysqlStorage:storage', 'flowMetricsTtlHours:ttl', 'flowLogTtlHours:ttl']);
  });

  it('checks a typed Grafana password twice', () => {
    const s = base();

    s.grafana.generatePassword = false;
    s.grafana.password = 'a-long-enough-password';
    s.grafana.passwordConfirm = 'a-long-enough-passwort';
    expect(fields(s)).toEqual(['grafana.passwordConfirm:password-mismatch']);
    s.grafana.password = 'short';
    s.grafana.passwordConfirm = 'short';
    expect(fields(s)).toEqual(['grafana.password:password-too-short']);
  });

  it('ignores password fields while the password is generated', () => {
    const s = base();

    s.grafana.password = 'x';
    expect(fields(s)).toEqual([]);
  });

  it('validates the exposure settings that are in use', () => {
    const s = base();

    s.grafana.nodePort = 80;
    expect(fields(s)).toEqual([]);
    s.grafana.exposure = 'nodeport';
    expect(fields(s)).toEqual(['grafana.nodePort:node-port']);
    s.grafana.nodePort = null;
    expect(fields(s)).toEqual([]);

    s.grafana.exposure = 'ingress';
    expect(fields(s)).toEqual(['grafana.ingressHosts:hosts-required']);
    s.grafana.ingressHosts = 'grafana.example.com, *.apps.example.com <script>';
    s.grafana.ingressPath = 'grafana';
    s.grafana.ingressTlsSecret = 'Bad_Name';
    expect(fields(s)).toEqual(['grafana.ingressHosts:host', 'grafana.ingressPath:path', 'grafana.ingressTlsSecret:name']);
    expect(errorsFor(validateSettings(s, 3), 'grafana.ingressHosts')[0].params).toEqual({ host: '<script>' });
  });

  it('validates the interface regex and the agent-group YAML', () => {
    const s = base();

    s.agents.interfaceRegex = '^(eth.*';
    s.agents.groupConfig = 'a: [1, 2';
    expect(fields(s)).toEqual(['agents.interfaceRegex:regex', 'agents.groupConfig:yaml']);
    s.agents.interfaceRegex = HARVESTER_INTERFACE_REGEX;
    s.agents.groupConfig = '- just\n- a list\n';
    expect(fields(s)).toEqual(['agents.groupConfig:not-a-mapping']);
    s.agents.groupConfig = 'global:\n  limits:\n    max_memory: 768\n';
    expect(fields(s)).toEqual([]);
  });

  it('rejects a bad repo, version, admin user and node names', () => {
    const s = base();

    s.repo = 'file:///etc/passwd';
    s.version = 'latest';
    s.grafana.adminUser = 'ad\nmin';
    s.agents.nodeNames = ['node-1', 'NODE_2'];
    expect(fields(s)).toEqual(['repo:repo-not-http', 'version:version', 'grafana.adminUser:admin-user', 'agents.nodeNames:node-name']);
  });

  it('reports resource problems per field', () => {
    const s = base();

    s.resources.agent.limits.memory = '1Mi';
    expect(fields(s)).toEqual(['resources.agent.limits.memory:limit-below-request']);
  });
});

describe('HARVESTER_INTERFACE_REGEX', () => {
  const re = new RegExp(HARVESTER_INTERFACE_REGEX);

  it.each(['mgmt-br', 'mgmt-bo', 'vlan100-br', 'data-bo', 'cali1234abcd', 'veth0a1b', 'tap0', 'eth0', 'ens3', 'enp0s1'])('captures %s', (name) => {
    expect(re.test(name)).toBe(true);
  });

  it.each(['docker0', 'flannel.1', 'cni0', 'bond0', 'kube-ipvs0'])('skips %s', (name) => {
    expect(re.test(name)).toBe(false);
  });
});

describe('ingressHostList', () => {
  it('splits on commas and whitespace', () => {
    expect(ingressHostList(' a.example.com,b.example.com\nc.example.com ')).toEqual(['a.example.com', 'b.example.com', 'c.example.com']);
  });
});
