/**
 * Steve's subscription websocket (`<base>/subscribe`): the dashboard sends
 * `{resourceType, resourceVersion?, namespace?, id?, selector?}` (or `stop: true`) and receives
 * `resource.start`, `resource.create|change|remove` with the object, `resource.error`,
 * `resource.stop`, and a `ping` often enough for its 35 s frame watchdog.
 */
import WebSocket from 'ws';
import { JsonObject } from './http';
import { SteveSource, typeForSegment } from './steve-api';
import { steveResource } from './steve';

const PING_MS = 10_000;
const STATIC_TYPES = ['schema', 'count'];

interface Subscription {
  resourceType: string;
  namespace?: string;
  id?: string;
  selector?: string;
  mode?: string;
}

/** Equality-based label selectors (`a=b,c==d`), the form the dashboard's watches use. */
function matchesSelector(selector: string | undefined, labels: Record<string, string> = {}): boolean {
  return !selector || selector.split(',').every((term) => {
    const [key, value] = term.split(/==?/).map((s) => s.trim());

    return value === undefined ? key in labels : labels[key] === value;
  });
}

const watchKey = (s: Subscription) => JSON.stringify([s.resourceType, s.namespace || '', s.id || '', s.selector || '', s.mode || '']);

export function serveSteveSocket(socket: WebSocket, source: SteveSource, base: string, version: string): void {
  const watches = new Map<string, () => void>();
  const send = (message: JsonObject) => socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify(message));
  const ping = setInterval(() => send({ name: 'ping', data: { version } }), PING_MS);

  send({ name: 'ping', data: { version } });

  const stop = (sub: Subscription, notify: boolean) => {
    const key = watchKey(sub);

    watches.get(key)?.();
    watches.delete(key);
    if (notify) {
      send({ name: 'resource.stop', ...sub });
    }
  };

  const start = (sub: Subscription, revision?: string) => {
    const def = typeForSegment(source, sub.resourceType);

    if (STATIC_TYPES.includes(sub.resourceType)) {
      // Schemas and counts of the mock do not change while a test runs: the watch starts and stays quiet.
      send({ name: 'resource.start', ...sub });

      return;
    }
    if (!def) {
      send({ name: 'resource.error', ...sub, data: { error: `unknown schema for type: ${ sub.resourceType }` } });

      return;
    }
    stop(sub, false);
    const [idNamespace, idName] = sub.id?.includes('/') ? sub.id.split('/') : [undefined, sub.id];
    const namespace = sub.namespace || idNamespace;
    const close = source.watch(def, namespace, revision, (kind, object) => {
      if ((idName && object.metadata?.name !== idName) || !matchesSelector(sub.selector, object.metadata?.labels)) {
        return;
      }
      if (sub.mode === 'resource.changes') {
        send({ name: 'resource.changes', ...sub, data: {} });
      } else {
        send({ name: `resource.${ kind }`, ...sub, data: steveResource(def, object, base) });
      }
    }, (error) => {
      if (!watches.has(watchKey(sub))) {
        return;
      }
      watches.delete(watchKey(sub));
      if (error) {
        send({ name: 'resource.error', ...sub, data: { error } });
      }
      send({ name: 'resource.stop', ...sub });
    });

    watches.set(watchKey(sub), close);
    send({ name: 'resource.start', ...sub });
  };

  socket.on('message', (raw) => {
    let message: JsonObject;

    try {
      message = JSON.parse(String(raw));
    } catch {
      return;
    }
    if (typeof message.resourceType !== 'string') {
      return;
    }
    const sub: Subscription = {
      resourceType: message.resourceType, namespace: message.namespace, id: message.id, selector: message.selector, mode: message.mode
    };

    if (message.stop) {
      stop(sub, true);
    } else {
      start(sub, message.resourceVersion ? String(message.resourceVersion) : undefined);
    }
  });

  socket.on('close', () => {
    clearInterval(ping);
    watches.forEach((close) => close());
    watches.clear();
  });
}

/** Norman's `/v3/subscribe`: the dashboard's `rancher` store only needs the connection and pings. */
export function serveNormanSocket(socket: WebSocket): void {
  const ping = setInterval(() => socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify({ name: 'ping', data: {} })), PING_MS);

  socket.on('close', () => clearInterval(ping));
}
