import { displayText } from '../text';
import { STACK } from './constants';
import {
  KubeObject, asArray, asString, conditionsOf, isObject, nameOf, namespaceOf
} from './k8s';

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
  if (!isObject(addon)) {
    return [];
  }

  return conditionsOf(addon).filter((c) => c.status === 'True').map((c) => ({
    source:   'addon',
    severity: c.type === 'OperationFailed' ? 'error' : 'info',
    object:   `Addon ${ nameOf(addon) }`,
    reason:   asString(c.type) || '',
    message:  clip(asString(c.message) || asString(c.reason) || ''),
    time:     asString(c.lastTransitionTime),
  }));
}

function podItems(pods: KubeObject[]): ProgressItem[] {
  const items: ProgressItem[] = [];

  pods.forEach((pod) => {
    const statuses = [...asArray<any>(pod.status?.initContainerStatuses), ...asArray<any>(pod.status?.containerStatuses)].filter(isObject);

    statuses.forEach((cs) => {
      const waiting = isObject(cs.state) && isObject(cs.state.waiting) ? cs.state.waiting : undefined;
      const reason = asString(waiting?.reason);

      if (reason && reason !== 'PodInitializing' && reason !== 'ContainerCreating') {
        items.push({
          source:   'pod',
          severity: STUCK_REASONS.has(reason) ? 'error' : 'warning',
          object:   `Pod ${ namespaceOf(pod) }/${ nameOf(pod) } (${ asString(cs.name) || '?' })`,
          reason,
          message:  clip(asString(waiting?.message) || ''),
        });
      }
    });
    if (pod.status?.phase === 'Pending' && !statuses.length) {
      const unscheduled = conditionsOf(pod).find((c) => c.type === 'PodScheduled' && c.status === 'False');

      if (unscheduled) {
        items.push({
          source: 'pod', severity: 'warning', object: `Pod ${ namespaceOf(pod) }/${ nameOf(pod) }`, reason: asString(unscheduled.reason) || 'Unschedulable', message: clip(asString(unscheduled.message) || '')
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
      object:   `${ asString(e.involvedObject?.kind) || '' } ${ namespaceOf(e) }/${ asString(e.involvedObject?.name) || '' }`.trim(),
      reason:   asString(e.reason) || '',
      message:  clip(asString(e.message) || ''),
      time:     asString(e.lastTimestamp) || asString(e.eventTime) || asString(e.metadata?.creationTimestamp),
    }))
    .sort((a, b) => (b.time || '').localeCompare(a.time || ''));
}

/** Everything that explains where an install, upgrade or failure stands, errors first. */
export function progressItems(addon: KubeObject | null | undefined, pods: unknown[], events: unknown[]): ProgressItem[] {
  const rank = { error: 0, warning: 1, info: 2 };
  const objects = (list: unknown[]) => (Array.isArray(list) ? list.filter(isObject) as KubeObject[] : []);

  return [...addonItems(addon), ...podItems(objects(pods)), ...eventItems(objects(events))]
    .map((item) => ({ ...item, reason: displayText(item.reason, MAX_REASON), object: displayText(item.object, MAX_OBJECT) }))
    .sort((a, b) => rank[a.severity] - rank[b.severity]);
}
