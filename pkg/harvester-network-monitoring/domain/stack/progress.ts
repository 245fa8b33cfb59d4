import { displayText } from '../text';
import { STACK } from './constants';
import { KubeObject, conditionsOf, nameOf, namespaceOf } from './k8s';
import { arr, isRecord, str } from '../guards';

export type ProgressSeverity = 'info' | 'warning' | 'error';

/** One line of the install progress: an Addon condition, a pod that waits, or a warning event. */
export interface ProgressItem {
  source: 'addon' | 'pod' | 'event';
  severity: ProgressSeverity;
  object: string;
  reason: string;
  message: string;
  time?: string;
}

/** Container waiting reasons that will not resolve by themselves. */
const STUCK_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError', 'InvalidImageName']);
const MAX_MESSAGE = 500;
// A reason is a CamelCase word; an object is a kind and a namespaced name (253 + 63 characters at most).
const MAX_REASON = 120;
const MAX_OBJECT = 340;

const clip = (s: string) => displayText(s, MAX_MESSAGE + 1);

function addonItems(addon: KubeObject | null | undefined): ProgressItem[] {
  if (!isRecord(addon)) {
    return [];
  }

  return conditionsOf(addon).filter((c) => c.status === 'True').map((c) => ({
    source:   'addon',
    severity: c.type === 'OperationFailed' ? 'error' : 'info',
    object:   `Addon ${ nameOf(addon) }`,
    reason:   str(c.type) || '',
    message:  clip(str(c.message) || str(c.reason) || ''),
    time:     str(c.lastTransitionTime),
  }));
}

function podItems(pods: KubeObject[]): ProgressItem[] {
  const items: ProgressItem[] = [];

  pods.forEach((pod) => {
    const statuses = [...arr<any>(pod.status?.initContainerStatuses), ...arr<any>(pod.status?.containerStatuses)].filter(isRecord);

    statuses.forEach((cs) => {
      const waiting = isRecord(cs.state) && isRecord(cs.state.waiting) ? cs.state.waiting : undefined;
      const reason = str(waiting?.reason);

      if (reason && reason !== 'PodInitializing' && reason !== 'ContainerCreating') {
        items.push({
          source:   'pod',
          severity: STUCK_REASONS.has(reason) ? 'error' : 'warning',
          object:   `Pod ${ namespaceOf(pod) }/${ nameOf(pod) } (${ str(cs.name) || '?' })`,
          reason,
          message:  clip(str(waiting?.message) || ''),
        });
      }
    });
    if (pod.status?.phase === 'Pending' && !statuses.length) {
      const unscheduled = conditionsOf(pod).find((c) => c.type === 'PodScheduled' && c.status === 'False');

      if (unscheduled) {
        items.push({
          source: 'pod', severity: 'warning', object: `Pod ${ namespaceOf(pod) }/${ nameOf(pod) }`, reason: str(unscheduled.reason) || 'Unschedulable', message: clip(str(unscheduled.message) || '')
        });
      }
    }
  });

  return items;
}

/**
 * An Event's own type (Normal / Warning). In the dashboard store `type` is the resource type (`event`) and
 * Steve sends the Event's type as `_type` (the shell's event model reads `eventType` from it); a plain
 * Kubernetes Event has it in `type`.
 */
function eventType(e: KubeObject): unknown {
  const raw = e as { _type?: unknown; type?: unknown };

  return raw._type !== undefined ? raw._type : raw.type;
}

/** Warning events about objects in the stack's namespaces, newest first (e.g. FailedCreate: violates PodSecurity). */
function eventItems(events: KubeObject[]): ProgressItem[] {
  const namespaces = new Set<string>([STACK.stackNamespace, STACK.agentNamespace]);

  return events
    .filter((e) => eventType(e) === 'Warning' && namespaces.has(namespaceOf(e)))
    .map((e: any) => ({
      source:   'event' as const,
      severity: 'warning' as const,
      object:   `${ str(e.involvedObject?.kind) || '' } ${ namespaceOf(e) }/${ str(e.involvedObject?.name) || '' }`.trim(),
      reason:   str(e.reason) || '',
      message:  clip(str(e.message) || ''),
      time:     str(e.lastTimestamp) || str(e.eventTime) || str(e.metadata?.creationTimestamp),
    }))
    .sort((a, b) => (b.time || '').localeCompare(a.time || ''));
}

/** Everything that explains where an install, upgrade or failure stands, errors first. */
export function progressItems(addon: KubeObject | null | undefined, pods: unknown[], events: unknown[]): ProgressItem[] {
  const rank = { error: 0, warning: 1, info: 2 };
  const objects = (list: unknown[]) => (Array.isArray(list) ? list.filter(isRecord) as KubeObject[] : []);

  return [...addonItems(addon), ...podItems(objects(pods)), ...eventItems(objects(events))]
    .map((item) => ({ ...item, reason: displayText(item.reason, MAX_REASON), object: displayText(item.object, MAX_OBJECT) }))
    .sort((a, b) => rank[a.severity] - rank[b.severity]);
}
