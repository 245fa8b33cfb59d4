import { dump, load } from 'js-yaml';
import {
  InstallSettings, SECONDARY_NIC_TYPES, SecondaryNicType, applyProfile, ingressHostList, interfaceList
} from './settings';
import { normalizeIp } from '../net/ip';
import { PROFILES, ResourceSet, SizedComponent, cloneResources } from './sizing';
import { isRecord } from '../guards';
import { cidrList } from './network';
import { externalFromValues, externalValues } from './external-db';

type Values = Record<string, any>;

/**
 * A password typed in the wizard never goes into the Addon's valuesContent (readable by anyone who can
 * read Addons): the wizard stores it in this Secret and the chart reads it from there.
 */
export const GRAFANA_ADMIN_SECRET = 'hnm-grafana-admin-custom';

const COMPONENT_KEYS: Record<SizedComponent, string> = {
  agent: 'agent', server: 'server', clickhouse: 'clickhouse', mysql: 'mysql', grafana: 'grafana'
};

function profileValues(settings: InstallSettings): Values {
  if (settings.profile !== 'custom') {
    return { sizing: { profile: settings.profile } };
  }
  // A custom profile sets every component's resources explicitly, on top of the small preset.
  const out: Values = { sizing: { profile: 'small' } };

  (Object.keys(COMPONENT_KEYS) as SizedComponent[]).forEach((c) => {
    out[COMPONENT_KEYS[c]] = { resources: cloneResources(settings.resources)[c] };
  });

  return out;
}

function deepMerge(target: Values, source: Values): Values {
  Object.entries(source).forEach(([key, value]) => {
    target[key] = isRecord(value) && isRecord(target[key]) ? deepMerge({ ...target[key] }, value) : value;
  });

  return target;
}

/** The chart values for everything the wizard controls (chart: charts/harvester-network-monitoring-stack). */
export function buildValues(s: InstallSettings): Values {
  const g = s.grafana;
  const groupConfig = s.agents.groupConfig.trim() ? load(s.agents.groupConfig) : {};
  const nics = s.agents.secondaryNics;
  const values: Values = {
    global:     { storageClass: s.storageClass },
    retention:  { flowMetrics1mHours: s.flowMetricsTtlHours, flowLogHours: s.flowLogTtlHours },
    server:     { replicas: s.serverReplicas },
    // An external ClickHouse replaces the chart's nodes, so their count goes back to the default.
    clickhouse: { replicas: s.external.clickhouse.enabled ? 1 : s.clickhouseReplicas, persistence: { size: s.clickhouseStorage } },
    mysql:      { persistence: { size: s.mysqlStorage } },
    agent:      {
      interfaceRegex: s.agents.interfaceRegex,
      nodeNames:      [...s.agents.nodeNames].sort(),
      groupConfig:    isRecord(groupConfig) ? groupConfig : {},
      secondaryNics:  {
        type:             nics.type,
        parentInterfaces: interfaceList(nics.parentInterfaces),
        podNamespaces:    { enabled: nics.podNamespaces, interfaceRegex: nics.podInterfaceRegex, ringBlocks: nics.ringBlocks },
      },
      // The canonical form of the address (validated by settings.ts); the chart's schema takes IPs only.
      server:  { address: normalizeIp(s.agents.serverAddress) || '', port: s.agents.serverPort },
      watcher: { nodeName: s.agents.watcherNode },
    },
    grafana: {
      admin:     { user: g.adminUser, existingSecret: g.generatePassword ? '' : GRAFANA_ADMIN_SECRET },
      anonymous: { enabled: g.anonymous },
      service:   {
        type:        g.exposure === 'nodeport' ? 'NodePort' : 'ClusterIP',
        nodePort:    g.exposure === 'nodeport' ? g.nodePort : null,
        clientCIDRs: g.exposure === 'nodeport' ? cidrList(g.nodePortClients) : [],
      },
      ingress:   g.exposure === 'ingress' ? {
        enabled: true, className: g.ingressClass, hosts: ingressHostList(g.ingressHosts), path: g.ingressPath, tlsSecretName: g.ingressTlsSecret
      } : { enabled: false },
    },
    networkPolicy: { nodeCIDRs: cidrList(s.network.nodeCIDRs), apiServerCIDRs: cidrList(s.network.apiServerCIDRs) },
  };

  return deepMerge(deepMerge(values, externalValues(s.external)), profileValues(s));
}

/** Only what differs from the chart's defaults: what the summary shows and the Addon carries. */
export function diffFromDefaults(values: Values, defaults: Values): Values {
  const out: Values = {};

  Object.entries(values).forEach(([key, value]) => {
    const base = defaults?.[key];

    if (isRecord(value) && isRecord(base)) {
      const nested = diffFromDefaults(value, base);

      if (Object.keys(nested).length) {
        out[key] = nested;
      }
    } else if (JSON.stringify(value) !== JSON.stringify(base)) {
      out[key] = value;
    }
  });

  return out;
}

export function valuesYaml(values: Values): string {
  return Object.keys(values).length ? dump(values, { lineWidth: 120, noRefs: true }) : '';
}

export type ParsedValues = { ok: true; values: Values } | { ok: false; detail: string };

/** Values typed in the summary: empty means chart defaults; anything else must be a YAML mapping. */
export function parseValuesYaml(text: string): ParsedValues {
  if (!text.trim()) {
    return { ok: true, values: {} };
  }
  try {
    const parsed = load(text);

    return isRecord(parsed) ? { ok: true, values: parsed } : { ok: false, detail: 'not a mapping' };
  } catch (e) {
    return { ok: false, detail: String((e as Error).message || e).split('\n')[0] };
  }
}

function get(values: Values, path: string): unknown {
  return path.split('.').reduce<any>((node, key) => (isRecord(node) ? node[key] : undefined), values);
}

const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

function resourcesFrom(values: Values, profile: 'small' | 'medium'): { resources: ResourceSet; custom: boolean } {
  const resources = cloneResources(PROFILES[profile]);
  let custom = false;

  (Object.keys(COMPONENT_KEYS) as SizedComponent[]).forEach((c) => {
    const r = get(values, `${ COMPONENT_KEYS[c] }.resources`);

    if (isRecord(r) && Object.keys(r).length) {
      custom = true;
      resources[c] = deepMerge(cloneResources(PROFILES[profile])[c] as Values, r) as ResourceSet[SizedComponent];
    }
  });

  return { resources, custom };
}

/**
 * Settings for "Edit settings": the installed values (the Addon's valuesContent over the chart
 * defaults) read back into the wizard's form. Anything the form cannot show stays in the YAML.
 */
export function settingsFromValues(installed: Values, defaults: Values, base: InstallSettings): InstallSettings {
  const v = deepMerge(deepMerge({}, defaults), installed);
  const s: InstallSettings = JSON.parse(JSON.stringify(base));
  const profile = get(v, 'sizing.profile') === 'medium' ? 'medium' : 'small';
  const { resources, custom } = resourcesFrom(v, profile);

  applyProfile(s, custom ? 'custom' : profile);
  s.resources = resources;
  s.storageClass = str(get(v, 'global.storageClass'), '');
  s.serverReplicas = num(get(v, 'server.replicas'), s.serverReplicas);
  s.clickhouseReplicas = num(get(v, 'clickhouse.replicas'), s.clickhouseReplicas);
  s.external = externalFromValues(v);
  s.clickhouseStorage = str(get(v, 'clickhouse.persistence.size'), s.clickhouseStorage);
  s.mysqlStorage = str(get(v, 'mysql.persistence.size'), s.mysqlStorage);
  s.flowMetricsTtlHours = num(get(v, 'retention.flowMetrics1mHours'), s.flowMetricsTtlHours);
  s.flowLogTtlHours = num(get(v, 'retention.flowLogHours'), s.flowLogTtlHours);
  s.agents.interfaceRegex = str(get(v, 'agent.interfaceRegex'), s.agents.interfaceRegex);
  const nodeNames = get(v, 'agent.nodeNames');

  s.agents.nodeNames = Array.isArray(nodeNames) ? nodeNames.filter((n): n is string => typeof n === 'string') : [];
  const groupConfig = get(v, 'agent.groupConfig');

  s.agents.groupConfig = isRecord(groupConfig) && Object.keys(groupConfig).length ? dump(groupConfig) : '';
  const nicType = get(v, 'agent.secondaryNics.type');
  const parents = get(v, 'agent.secondaryNics.parentInterfaces');
  const port = get(v, 'agent.server.port');

  s.agents.secondaryNics = {
    type:              SECONDARY_NIC_TYPES.includes(nicType as SecondaryNicType) ? nicType as SecondaryNicType : '',
    parentInterfaces:  Array.isArray(parents) ? parents.filter((n): n is string => typeof n === 'string').join(', ') : '',
    podNamespaces:     get(v, 'agent.secondaryNics.podNamespaces.enabled') === true,
    podInterfaceRegex: str(get(v, 'agent.secondaryNics.podNamespaces.interfaceRegex'), ''),
    ringBlocks:        num(get(v, 'agent.secondaryNics.podNamespaces.ringBlocks'), 0),
  };
  s.agents.serverAddress = str(get(v, 'agent.server.address'), '');
  s.agents.serverPort = typeof port === 'number' ? port : null;
  s.agents.watcherNode = str(get(v, 'agent.watcher.nodeName'), '');
  const cidrs = (path: string) => {
    const list = get(v, path);

    return Array.isArray(list) ? list.filter((c): c is string => typeof c === 'string').join(', ') : '';
  };

  s.network = { nodeCIDRs: cidrs('networkPolicy.nodeCIDRs'), apiServerCIDRs: cidrs('networkPolicy.apiServerCIDRs') };
  s.grafana.adminUser = str(get(v, 'grafana.admin.user'), s.grafana.adminUser);
  // A password is never read back: keep the stored one unless the user types a new one.
  s.grafana.generatePassword = true;
  s.grafana.anonymous = get(v, 'grafana.anonymous.enabled') === true;
  if (get(v, 'grafana.ingress.enabled') === true) {
    const hosts = get(v, 'grafana.ingress.hosts');

    s.grafana.exposure = 'ingress';
    s.grafana.ingressClass = str(get(v, 'grafana.ingress.className'), '');
    s.grafana.ingressHosts = Array.isArray(hosts) ? hosts.filter((h) => typeof h === 'string').join(', ') : '';
    s.grafana.ingressPath = str(get(v, 'grafana.ingress.path'), '/');
    s.grafana.ingressTlsSecret = str(get(v, 'grafana.ingress.tlsSecretName'), '');
  } else if (get(v, 'grafana.service.type') === 'NodePort') {
    const port = get(v, 'grafana.service.nodePort');

    s.grafana.exposure = 'nodeport';
    s.grafana.nodePort = typeof port === 'number' ? port : null;
    s.grafana.nodePortClients = cidrs('grafana.service.clientCIDRs');
  } else {
    s.grafana.exposure = 'proxy';
  }

  return s;
}

/** The Secret that carries a typed Grafana admin password. */
export function grafanaAdminSecret(namespace: string, user: string, password: string) {
  return {
    apiVersion: 'v1',
    kind:       'Secret',
    // Steve reserves `type` for its resource type; a Secret's Kubernetes type is `_type`.
    _type:      'Opaque',
    metadata:   { name: GRAFANA_ADMIN_SECRET, namespace, labels: { 'app.kubernetes.io/part-of': 'harvester-network-monitoring' } },
    stringData: { 'admin-user': user, 'admin-password': password },
  };
}
