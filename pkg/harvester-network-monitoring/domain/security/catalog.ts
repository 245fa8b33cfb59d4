import { PSS_RULES } from './pss';

/**
 * Every finding id the engine can emit. Each has `title`, `explanation` and `fix` strings under
 * `networkMonitoring.security.findings.<id>` in l10n (a unit test keeps the two in step).
 */
export const FINDING_IDS: readonly string[] = [
  ...PSS_RULES.map((r) => `pss.${ r.level }.${ r.id }`),
  'pss.admission.rejected', 'pss.admission.warned',
  'pss.namespace.exempt', 'pss.namespace.notFound', 'pss.namespace.invalidLabel', 'pss.namespace.unlabelled',

  'rbac.clusterAdmin', 'rbac.wildcard', 'rbac.escalation', 'rbac.nodesProxy', 'rbac.podsExec', 'rbac.secretsList',
  'rbac.secretsRead', 'rbac.secretsNamed', 'rbac.writeVerbs', 'rbac.missingRole', 'rbac.invalidRoleRef',

  'netpol.hostNetworkPeerBlocked', 'netpol.hostNetworkPeerUnverified', 'netpol.apiServerProxyBlocked',
  'netpol.apiServerProxyUnverified', 'netpol.ingressAllSources', 'netpol.ingressFromAnywhere', 'netpol.ingressFromRange', 'netpol.hostNetworkPod',
  'netpol.podUncovered', 'netpol.noDefaultDenyIngress', 'netpol.noDefaultDenyEgress', 'netpol.selectsNothing',
  'netpol.namedPortUnresolved', 'netpol.egressBlocksDns', 'netpol.vmUncovered', 'netpol.namespaceUncovered',

  'exposure.nodePort', 'exposure.clientAddressHidden', 'exposure.loadBalancer', 'exposure.externalIPs', 'exposure.ingressNoTls', 'exposure.ingressTls',
  'exposure.grafanaAnonymous', 'exposure.grafanaAnonymousElevated', 'exposure.grafanaSameOriginFrame', 'exposure.grafanaCspOff',
  'exposure.grafanaFramedAnywhere', 'exposure.grafanaSanitizeOff', 'exposure.grafanaViewersCanEdit', 'exposure.grafanaPluginInstall',
  'exposure.grafanaCookieSameSite', 'exposure.grafanaGravatar', 'exposure.plaintextSecretEnv',
  'exposure.defaultPasswordEnv', 'exposure.defaultPassword', 'exposure.configMapPassword', 'exposure.imageUntagged',
  'exposure.imageLatest', 'exposure.noLimits', 'exposure.noRequests', 'exposure.agentStateProxy',
  'exposure.externalEndpoints', 'exposure.externalMysql', 'exposure.unmanagedSecret',

  'drift.namespaceMissing', 'drift.psaRemoved', 'drift.psaRelaxed', 'drift.networkPolicyDeleted',
  'drift.networkPolicyChanged', 'drift.bindingAdded', 'drift.bindingChanged', 'drift.aggregationChanged',
  'drift.roleVerbsAdded',
];

/** The l10n key of one text of a finding. */
export function findingTextKey(id: string, part: 'title' | 'explanation' | 'fix'): string {
  return `networkMonitoring.security.findings.${ id }.${ part }`;
}
