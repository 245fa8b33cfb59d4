/**
 * The `ForbiddenReason` texts PodSecurity admission prints (k8s.io/pod-security-admission/policy, v0.34),
 * keyed by the check ID that produces them. Messages look like
 * `violates PodSecurity "restricted:latest": host namespaces (hostNetwork=true), runAsNonRoot != true (...)`.
 */
export const PSS_REASONS = {
  hostNamespaces:             'host namespaces',
  privileged:                 'privileged',
  capabilities_baseline:      'non-default capabilities',
  hostPathVolumes:            'hostPath volumes',
  hostPorts:                  'hostPort',
  appArmorProfile:            'forbidden AppArmor profile',
  seLinuxOptions:             'seLinuxOptions',
  procMount:                  'procMount',
  seccompProfile:             'seccompProfile',
  sysctls:                    'forbidden sysctls',
  windowsHostProcess:         'hostProcess',
  hostProbesAndHostLifecycle: 'probe or lifecycle host',
  restrictedVolumes:          'restricted volume types',
  allowPrivilegeEscalation:   'allowPrivilegeEscalation != false',
  runAsNonRoot:               'runAsNonRoot != true',
  runAsUser:                  'runAsUser=0',
  capabilities_restricted:    'unrestricted capabilities',
} as const;

export type PssReason = typeof PSS_REASONS[keyof typeof PSS_REASONS];

const ALL_REASONS = Object.values(PSS_REASONS) as PssReason[];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The reasons listed in a PodSecurity denial or warning, exactly as printed and in message order.
 * Items are `reason (detail)` joined by `, ` after the `...PodSecurity "<level>:<version>": ` prefix;
 * details quote container names, so a reason is recognized only at an item start. The AppArmor
 * reason is printed in the plural when several profiles are forbidden (`forbidden AppArmor profiles`).
 */
export function reasonsInOrder(message: string): string[] {
  const start = message.search(/PodSecurity "[a-z]+:[^"]+": /);

  if (start < 0) {
    return [];
  }
  const list = message.slice(message.indexOf('": ', start) + 3);
  const found: { reason: string; at: number }[] = [];

  for (const reason of ALL_REASONS) {
    const match = new RegExp(`(?:^|, )(${ escapeRegExp(reason) }s?)(?: \\(|,|$)`).exec(list);

    if (match) {
      found.push({ reason: match[1], at: match.index });
    }
  }

  return found.sort((a, b) => a.at - b.at).map((f) => f.reason);
}

/** The reasons of a message as a sorted set of singular reasons, for comparing with expectations. */
export function reasonsIn(message: string): PssReason[] {
  return [...new Set(reasonsInOrder(message).map(singular))].sort();
}

/** `forbidden AppArmor profiles` -> `forbidden AppArmor profile`; other reasons unchanged. */
export function singular(reason: string): PssReason {
  return (ALL_REASONS.includes(reason as PssReason) ? reason : reason.replace(/s$/, '')) as PssReason;
}
