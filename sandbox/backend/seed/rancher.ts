/**
 * Rancher's own objects the dashboard reads when it boots and when our pages look up where the
 * extension came from: the local and the Harvester cluster, settings, features, the admin's
 * preferences, and the extension's app and ClusterRepo.
 */
import { JsonObject } from '../http';
import {
  CLUSTER_ID, CLUSTER_NAME, EXTENSION_REPO_NAME, EXTENSION_REPO_URL, RANCHER_VERSION, USER_ID
} from './constants';

const CREATED = '2026-03-01T08:00:00Z';
const meta = (name: string, extra: JsonObject = {}) => ({
  name, creationTimestamp: CREATED, labels: {}, annotations: {}, ...extra
});

function cluster(name: string, displayName: string, provider: string, extraLabels: Record<string, string>): JsonObject {
  return {
    apiVersion: 'management.cattle.io/v3',
    kind:       'Cluster',
    metadata:   meta(name, { labels: { 'provider.cattle.io': provider, ...extraLabels } }),
    spec:       { displayName, internal: name === 'local' },
    status:     {
      provider,
      driver:      provider,
      conditions:  [{ type: 'Ready', status: 'True' }, { type: 'Connected', status: 'True' }],
      version:     { gitVersion: 'v1.30.7+rke2r1' },
      allocatable: { cpu: '48', memory: '190Gi', pods: '600' },
      capacity:    { cpu: '48', memory: '192Gi', pods: '600' },
    },
  };
}

const setting = (name: string, value: string, def = '') => ({
  apiVersion: 'management.cattle.io/v3', kind: 'Setting', metadata: meta(name), value, default: def, customized: false, source: ''
});

const feature = (name: string, value: boolean) => ({
  apiVersion: 'management.cattle.io/v3', kind: 'Feature', metadata: meta(name), spec: { value }, status: { default: value, dynamic: false, lockedValue: null }
});

export function rancherObjects(): Record<string, JsonObject[]> {
  return {
    'management.cattle.io.cluster': [
      cluster('local', 'local', 'rke2', {}),
      cluster(CLUSTER_ID, CLUSTER_NAME, 'harvester', { 'harvesterhci.io/managed': 'true' }),
    ],
    'management.cattle.io.setting': [
      setting('server-version', RANCHER_VERSION),
      setting('first-login', 'false'),
      setting('eula-agreed', CREATED),
      setting('telemetry-opt', 'out'),
      setting('ui-pl', 'rancher', 'rancher'),
      setting('ui-offline-preferred', 'dynamic', 'dynamic'),
      setting('ui-banners', '{}'),
      setting('server-url', 'https://rancher.e2e.example'),
      // Rancher's default is '' (rancher/rancher pkg/settings/setting.go: NewSetting("ui-performance", "")): the shell then
      // uses its DEFAULT_PERF_SETTING. '{}' parses as a setting without its options and crashes resource lists
      // (shell 3.0.8 utils/perf-setting.utils.ts isEnabled reads perfSettings.incrementalLoading.enabled unguarded).
      setting('ui-performance', ''),
    ],
    'management.cattle.io.feature': [
      feature('multi-cluster-management', true),
      feature('harvester', true),
      feature('rke2', true),
      feature('uiextension', true),
      feature('ui-sql-cache', false),
    ],
    'management.cattle.io.project': ['Default', 'System'].map((displayName, i) => ({
      apiVersion: 'management.cattle.io/v3', kind: 'Project', metadata: meta(`p-e2e${ i }`, { namespace: CLUSTER_ID }), spec: { clusterName: CLUSTER_ID, displayName }, status: {}
    })),
    'management.cattle.io.user': [{
      apiVersion: 'management.cattle.io/v3', kind: 'User', metadata: meta(USER_ID), username: 'admin', displayName: 'Default Admin', principalIds: [`local://${ USER_ID }`]
    }],
    userpreference: [{
      apiVersion: 'userpreferences.cattle.io/v1', kind: 'UserPreference', metadata: meta(USER_ID), data: { 'seen-whatsnew': `"${ RANCHER_VERSION }"`, locale: '"en-us"', 'after-login-route': '"home"' }
    }],
    'catalog.cattle.io.clusterrepo': [{
      apiVersion: 'catalog.cattle.io/v1', kind: 'ClusterRepo', metadata: meta(EXTENSION_REPO_NAME), spec: { url: EXTENSION_REPO_URL }, status: { conditions: [{ type: 'Downloaded', status: 'True' }] }
    }],
    'catalog.cattle.io.app': [{
      apiVersion: 'catalog.cattle.io/v1',
      kind:       'App',
      metadata:   meta('harvester-network-monitoring', { namespace: 'cattle-ui-plugin-system', annotations: { 'catalog.cattle.io/ui-source-repo': EXTENSION_REPO_NAME, 'catalog.cattle.io/ui-source-repo-type': 'cluster' } }),
      spec:       { chart: { metadata: { name: 'harvester-network-monitoring', version: '0.1.0', annotations: { 'catalog.cattle.io/ui-source-repo': EXTENSION_REPO_NAME } } } },
      status:     { summary: { state: 'deployed' } },
    }],
    namespace: ['cattle-system', 'cattle-ui-plugin-system', 'fleet-default', 'local'].map((name) => ({
      apiVersion: 'v1', kind: 'Namespace', metadata: meta(name), status: { phase: 'Active' }
    })),
  };
}

/** Norman (`/v3`) shapes: the signed-in user and principal. */
export function normanUser(): JsonObject {
  return {
    id: USER_ID, uuid: '5b0c0b2e-2f2a-4c55-9d8e-e2e000000001', type: 'user', username: 'admin', name: 'Default Admin', enabled: true, principalIds: [`local://${ USER_ID }`], me: true, links: { self: `/v3/users/${ USER_ID }` }
  };
}

export function normanPrincipal(): JsonObject {
  return {
    id: `local://${ USER_ID }`, type: 'principal', me: true, loginName: 'admin', name: 'Default Admin', principalType: 'user', provider: 'local', links: { self: `/v3/principals/local%3A%2F%2F${ USER_ID }` }
  };
}
