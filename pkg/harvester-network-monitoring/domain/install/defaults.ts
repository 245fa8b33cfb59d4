import chartValues from '../../../../charts/harvester-network-monitoring-stack/values.yaml';
import { InstallSettings } from './settings';
import { PROFILES, cloneResources } from './sizing';
import { settingsFromValues } from './values';

/** The monitoring chart's own defaults, bundled at build time: the single source of every default. */
export const CHART_DEFAULTS: Record<string, any> = chartValues;

/** The chart's interface preset for Harvester, offered again by "Use the Harvester preset". */
export const HARVESTER_INTERFACE_REGEX: string = CHART_DEFAULTS.agent.interfaceRegex;

const BLANK: InstallSettings = {
  source:              'repo',
  repo:                '',
  version:             '',
  serverReplicas:      1,
  clickhouseReplicas:  1,
  external:            {
    clickhouse: {
      enabled: false, hosts: '', username: 'default', secret: '', clusterName: 'default', storagePolicy: 'default'
    },
    mysql: {
      enabled: false, host: '', port: 3306, username: 'root', secret: '', egressCIDRs: ''
    },
  },
  storageClass:        '',
  clickhouseStorage:   '',
  mysqlStorage:        '',
  flowMetricsTtlHours: 0,
  flowLogTtlHours:     0,
  profile:             'small',
  resources:           cloneResources(PROFILES.small),
  grafana:             {
    adminUser:        '',
    generatePassword: true,
    password:         '',
    passwordConfirm:  '',
    anonymous:        false,
    exposure:         'proxy',
    nodePort:         null,
    nodePortClients:  '',
    ingressClass:     '',
    ingressHosts:     '',
    ingressPath:      '/',
    ingressTlsSecret: '',
  },
  agents:  {
    interfaceRegex: '',
    nodeNames:      [],
    groupConfig:    '',
    secondaryNics:  {
      type: '', parentInterfaces: '', podNamespaces: false, podInterfaceRegex: '', ringBlocks: 0
    },
    serverAddress: '',
    serverPort:    null,
    watcherNode:   '',
  },
  network: { nodeCIDRs: '', apiServerCIDRs: '' },
};

/** The wizard's starting point: the chart defaults, from the given repository and chart version. */
export function defaultSettings(repo: string, version: string): InstallSettings {
  return settingsFromValues({}, CHART_DEFAULTS, { ...BLANK, repo, version });
}

/** The settings of an installed stack, from its Addon's valuesContent. */
export function installedSettings(installedValues: Record<string, any>, repo: string, version: string): InstallSettings {
  return settingsFromValues(installedValues, CHART_DEFAULTS, { ...BLANK, repo, version });
}
