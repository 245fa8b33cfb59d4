import { load } from 'js-yaml';
import { ProfileId, ResourceSet, PROFILES, cloneResources, validateResources } from './sizing';
import { parseQuantity } from './quantity';
import { validatePassword } from './password';
import { validateRepoUrl } from '../stack/addon';
import { InstallSource } from '../stack/lifecycle';
import { cidrList } from './network';
import { isRange, parseCidr } from '../net/cidr';
import { parseIp } from '../net/ip';
import { ExternalDatabases, validateExternalDatabases } from './external-db';

/** How pods and VMs on MACVlan/IPVlan secondary networks are captured (chart agent.secondaryNics.type). */
export type SecondaryNicType = '' | 'macvlan' | 'ipvlan';
export const SECONDARY_NIC_TYPES: SecondaryNicType[] = ['', 'macvlan', 'ipvlan'];

export type Exposure = 'proxy' | 'nodeport' | 'ingress';

/** Everything the install wizard lets the user choose; values.ts turns it into chart values. */
export interface InstallSettings {
  /** 'repo': a Harvester Addon installs the chart from `repo`; 'bundled': the chart inside the extension (air-gapped). */
  source: InstallSource;
  repo: string;
  version: string;
  serverReplicas: number;
  /** The chart's own ClickHouse nodes (clickhouse.replicas), each a shard of DeepFlow's df_cluster. */
  clickhouseReplicas: number;
  /** Existing ClickHouse / MySQL instead of the chart's own (clickhouse.external, mysql.external). */
  external: ExternalDatabases;
  storageClass: string;
  clickhouseStorage: string;
  mysqlStorage: string;
  flowMetricsTtlHours: number;
  flowLogTtlHours: number;
  profile: ProfileId;
  resources: ResourceSet;
  grafana: {
    adminUser: string;
    generatePassword: boolean;
    password: string;
    passwordConfirm: string;
    anonymous: boolean;
    exposure: Exposure;
    nodePort: number | null;
    /** NodePort only: client networks the Grafana NetworkPolicy admits (grafana.service.clientCIDRs); empty = the nodes. */
    nodePortClients: string;
    ingressClass: string;
    ingressHosts: string;
    ingressPath: string;
    ingressTlsSecret: string;
  };
  agents: {
    interfaceRegex: string;
    /** Empty: every node. */
    nodeNames: string[];
    groupConfig: string;
    /** MACVlan/IPVlan secondary NICs (agent.secondaryNics). */
    secondaryNics: {
      type: SecondaryNicType;
      /** Comma or space separated node interface names. */
      parentInterfaces: string;
      podNamespaces: boolean;
      podInterfaceRegex: string;
      ringBlocks: number;
    };
    /** agent.server.address / port: a load balancer the agents register through; empty = the server Service. */
    serverAddress: string;
    serverPort: number | null;
    /** agent.watcher.nodeName: the node that runs the API watcher; empty = any node. */
    watcherNode: string;
  };
  /** NetworkPolicy sources (comma or space separated CIDRs): networkPolicy.nodeCIDRs / apiServerCIDRs. */
  network: {
    nodeCIDRs: string;
    /** Empty: the same as nodeCIDRs. */
    apiServerCIDRs: string;
  };
}

export const LIMITS = {
  replicas:           { min: 1, max: 5 },
  /** The chart's schema allows 1-8 ClickHouse nodes. */
  clickhouseReplicas: { min: 1, max: 8 },
  ttlHours:           { min: 1, max: 24 * 365 },
  nodePort:           { min: 30000, max: 32767 },
  storageGi:          { min: 1, max: 10240 },
  adminUserChars:     64,
  regexChars:         1024,
  groupConfigKb:      64,
  /** DeepFlow's minimum (server/agent_config/template.yaml ring_blocks) up to 1 GiB per namespace. */
  ringBlocks:         { min: 8, max: 1024 },
  parentNics:         32,
  port:               { min: 1, max: 65535 },
} as const;

/** A field path (as the wizard names its inputs) and the l10n code of what is wrong with it. */
export interface FieldError {
  field: string;
  code: string;
  params?: Record<string, string | number>;
}

const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const WILDCARD_HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;
// eslint-disable-next-line no-control-regex -- settings must not hold control characters: this finds them
const CONTROL = /[\u0000-\u001f\u007f]/;

// Linux interface names: at most 15 bytes (IFNAMSIZ - 1), no '/', ':' or whitespace; this keeps to the safe subset.
const INTERFACE_NAME = /^[A-Za-z0-9_.-]{1,15}$/;

/** "eth1, bond0.100" -> [eth1, bond0.100] */
export function interfaceList(text: string): string[] {
  return [...new Set(cidrList(text))];
}

export function ingressHostList(hosts: string): string[] {
  return hosts.split(/[\s,]+/).map((h) => h.trim()).filter(Boolean);
}

function integerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function validateStorage(field: string, value: string, errors: FieldError[]) {
  const bytes = parseQuantity(value);
  const gi = bytes === undefined ? undefined : bytes / 2 ** 30;

  if (gi === undefined || gi < LIMITS.storageGi.min || gi > LIMITS.storageGi.max) {
    errors.push({ field, code: 'storage', params: LIMITS.storageGi });
  }
}

function validateGroupConfig(text: string, errors: FieldError[]) {
  if (!text.trim()) {
    return;
  }
  if (text.length > LIMITS.groupConfigKb * 1024) {
    errors.push({ field: 'agents.groupConfig', code: 'too-large', params: { max: LIMITS.groupConfigKb } });

    return;
  }
  try {
    const parsed = load(text);

    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      errors.push({ field: 'agents.groupConfig', code: 'not-a-mapping' });
    }
  } catch (e) {
    errors.push({ field: 'agents.groupConfig', code: 'yaml', params: { detail: String((e as Error).message || e).split('\n')[0] } });
  }
}

function validateRegex(regex: string, errors: FieldError[], field = 'agents.interfaceRegex') {
  if (!regex.trim() || regex.length > LIMITS.regexChars) {
    errors.push({ field, code: 'regex-length', params: { max: LIMITS.regexChars } });

    return;
  }
  try {
    // DeepFlow's agent uses Rust's regex crate; the common syntax is shared, so this catches typos.
    new RegExp(regex);
  } catch (e) {
    errors.push({ field, code: 'regex', params: { detail: String((e as Error).message || e) } });
  }
}

/** The special-environment fields of the Agents step (chart agent.secondaryNics, agent.server, agent.watcher). */
function validateSpecialEnvironments(a: InstallSettings['agents'], errors: FieldError[]) {
  const nics = a.secondaryNics;
  const parents = interfaceList(nics.parentInterfaces);

  if (!SECONDARY_NIC_TYPES.includes(nics.type)) {
    errors.push({ field: 'agents.secondaryNics.type', code: 'nic-type' });
  }
  if (parents.length > LIMITS.parentNics) {
    errors.push({ field: 'agents.secondaryNics.parentInterfaces', code: 'too-many', params: { max: LIMITS.parentNics } });
  }
  parents.filter((n) => !INTERFACE_NAME.test(n)).forEach((name) => errors.push({ field: 'agents.secondaryNics.parentInterfaces', code: 'interface-name', params: { name } }));
  if (nics.podNamespaces) {
    const field = 'agents.secondaryNics.podInterfaceRegex';
    const before = errors.length;

    validateRegex(nics.podInterfaceRegex, errors, field);
    // The chart's schema wants the whole name matched, as DeepFlow's own default (^eth\d+$) does.
    if (errors.length === before && !/^\^.+\$$/.test(nics.podInterfaceRegex)) {
      errors.push({ field, code: 'regex-anchored' });
    }
    if (!integerIn(nics.ringBlocks, LIMITS.ringBlocks.min, LIMITS.ringBlocks.max)) {
      errors.push({ field: 'agents.secondaryNics.ringBlocks', code: 'ring-blocks', params: LIMITS.ringBlocks });
    }
  }
  if (a.serverAddress.trim() && !parseIp(a.serverAddress)) {
    errors.push({ field: 'agents.serverAddress', code: 'ip', params: { address: a.serverAddress.trim() } });
  }
  if (a.serverPort !== null && !integerIn(a.serverPort, LIMITS.port.min, LIMITS.port.max)) {
    errors.push({ field: 'agents.serverPort', code: 'port', params: LIMITS.port });
  }
  // The watcher is placed by its kubernetes.io/hostname label, and label values have at most 63 characters.
  if (a.watcherNode && (!DNS_SUBDOMAIN.test(a.watcherNode) || a.watcherNode.length > 63)) {
    errors.push({ field: 'agents.watcherNode', code: 'node-name', params: { name: a.watcherNode } });
  }
}

function validateGrafana(g: InstallSettings['grafana'], errors: FieldError[]) {
  if (!g.adminUser.trim() || g.adminUser.length > LIMITS.adminUserChars || CONTROL.test(g.adminUser)) {
    errors.push({ field: 'grafana.adminUser', code: 'admin-user', params: { max: LIMITS.adminUserChars } });
  }
  if (!g.generatePassword) {
    validatePassword(g.password, g.passwordConfirm).forEach((code) => errors.push({
      field: code === 'mismatch' ? 'grafana.passwordConfirm' : 'grafana.password', code: `password-${ code }`
    }));
  }
  if (g.exposure === 'nodeport' && g.nodePort !== null && !integerIn(g.nodePort, LIMITS.nodePort.min, LIMITS.nodePort.max)) {
    errors.push({ field: 'grafana.nodePort', code: 'node-port', params: LIMITS.nodePort });
  }
  if (g.exposure === 'ingress') {
    const hosts = ingressHostList(g.ingressHosts);

    if (!hosts.length) {
      errors.push({ field: 'grafana.ingressHosts', code: 'hosts-required' });
    }
    hosts.filter((h) => !WILDCARD_HOST.test(h)).forEach((host) => errors.push({ field: 'grafana.ingressHosts', code: 'host', params: { host } }));
    if (!g.ingressPath.startsWith('/') || /\s/.test(g.ingressPath)) {
      errors.push({ field: 'grafana.ingressPath', code: 'path' });
    }
    if (g.ingressTlsSecret && !DNS_SUBDOMAIN.test(g.ingressTlsSecret)) {
      errors.push({ field: 'grafana.ingressTlsSecret', code: 'name' });
    }
    if (g.ingressClass && !DNS_SUBDOMAIN.test(g.ingressClass)) {
      errors.push({ field: 'grafana.ingressClass', code: 'name' });
    }
  }
}

function validateCidrs(field: string, text: string, required: boolean, errors: FieldError[]) {
  const list = cidrList(text);

  if (required && !list.length) {
    errors.push({ field, code: 'cidr-required' });
  }
  list.forEach((cidr) => {
    const parsed = parseCidr(cidr);

    if (!parsed) {
      errors.push({ field, code: 'cidr', params: { cidr } });
    } else if (parsed.prefix === 0) {
      errors.push({ field, code: 'cidr-anywhere', params: { cidr } });
    } else if (isRange(parsed) && parsed.bytes.length === 4 && parsed.prefix < 8) {
      errors.push({ field, code: 'cidr-too-wide', params: { cidr } });
    }
  });
}

/** Every field problem, so the wizard can show each next to its field and block Install until none remain. */
export function validateSettings(s: InstallSettings, nodeCount: number): FieldError[] {
  const errors: FieldError[] = [];
  const repoError = s.source === 'repo' ? validateRepoUrl(s.repo) : undefined;

  if (repoError) {
    errors.push({ field: 'repo', code: `repo-${ repoError }` });
  }
  if (!/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(s.version)) {
    errors.push({ field: 'version', code: 'version' });
  }
  const maxReplicas = Math.max(LIMITS.replicas.min, Math.min(LIMITS.replicas.max, nodeCount));

  if (!integerIn(s.serverReplicas, LIMITS.replicas.min, maxReplicas)) {
    errors.push({ field: 'serverReplicas', code: 'replicas', params: { min: LIMITS.replicas.min, max: maxReplicas } });
  }
  if (s.storageClass && !DNS_SUBDOMAIN.test(s.storageClass)) {
    errors.push({ field: 'storageClass', code: 'name' });
  }
  if (!s.external.clickhouse.enabled) {
    validateStorage('clickhouseStorage', s.clickhouseStorage, errors);
    if (!integerIn(s.clickhouseReplicas, LIMITS.clickhouseReplicas.min, LIMITS.clickhouseReplicas.max)) {
      errors.push({ field: 'clickhouseReplicas', code: 'clickhouse-replicas', params: LIMITS.clickhouseReplicas });
    }
  }
  if (!s.external.mysql.enabled) {
    validateStorage('mysqlStorage', s.mysqlStorage, errors);
  } else {
    validateCidrs('external.mysql.egressCIDRs', s.external.mysql.egressCIDRs, false, errors);
  }
  validateExternalDatabases(s.external, true, errors);
  (['flowMetricsTtlHours', 'flowLogTtlHours'] as const).forEach((field) => {
    if (!integerIn(s[field], LIMITS.ttlHours.min, LIMITS.ttlHours.max)) {
      errors.push({ field, code: 'ttl', params: LIMITS.ttlHours });
    }
  });
  validateResources(s.resources).forEach((e) => errors.push({ field: `resources.${ e.component }.${ e.field }`, code: e.code }));
  validateGrafana(s.grafana, errors);
  validateRegex(s.agents.interfaceRegex, errors);
  s.agents.nodeNames.filter((n) => !DNS_SUBDOMAIN.test(n)).forEach((name) => errors.push({ field: 'agents.nodeNames', code: 'node-name', params: { name } }));
  validateGroupConfig(s.agents.groupConfig, errors);
  validateSpecialEnvironments(s.agents, errors);
  validateCidrs('network.nodeCIDRs', s.network.nodeCIDRs, true, errors);
  validateCidrs('network.apiServerCIDRs', s.network.apiServerCIDRs, false, errors);
  if (s.grafana.exposure === 'nodeport') {
    validateCidrs('grafana.nodePortClients', s.grafana.nodePortClients, false, errors);
  }

  return errors;
}

export function errorsFor(errors: FieldError[], field: string): FieldError[] {
  return errors.filter((e) => e.field === field);
}

/** Switching to a named profile replaces the resources; "custom" keeps what is there for editing. */
export function applyProfile(settings: InstallSettings, profile: ProfileId): void {
  settings.profile = profile;
  if (profile !== 'custom') {
    settings.resources = cloneResources(PROFILES[profile]);
  }
}
