/**
 * The mock's object store: Kubernetes objects by Steve type, with resource versions, a revision
 * counter and change listeners (the Steve websocket forwards changes to the UI's watches).
 */
import { EventEmitter } from 'events';
import { JsonObject } from './http';

export type ChangeKind = 'create' | 'change' | 'remove';

export interface Change {
  kind: ChangeKind;
  type: string;
  object: JsonObject;
  revision: number;
}

export function objectId(object: JsonObject): string {
  const { name, namespace } = object.metadata || {};

  return namespace ? `${ namespace }/${ name }` : String(name);
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

export class ObjectStore {
  private readonly types = new Map<string, Map<string, JsonObject>>();
  private readonly events = new EventEmitter();
  private revisionCounter = 1000;
  private uidCounter = 0;

  constructor() {
    this.events.setMaxListeners(100);
  }

  get revision(): string {
    return String(this.revisionCounter);
  }

  private bucket(type: string): Map<string, JsonObject> {
    let map = this.types.get(type);

    if (!map) {
      map = new Map();
      this.types.set(type, map);
    }

    return map;
  }

  private stamp(object: JsonObject): JsonObject {
    this.revisionCounter += 1;
    object.metadata = object.metadata || {};
    object.metadata.resourceVersion = String(this.revisionCounter);
    if (!object.metadata.uid) {
      this.uidCounter += 1;
      object.metadata.uid = `00000000-0000-4000-8000-${ String(this.uidCounter).padStart(12, '0') }`;
    }
    if (!object.metadata.creationTimestamp) {
      object.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    }

    return object;
  }

  private emit(kind: ChangeKind, type: string, object: JsonObject): void {
    this.events.emit('change', {
      kind, type, object: clone(object), revision: this.revisionCounter
    } as Change);
  }

  onChange(listener: (change: Change) => void): () => void {
    this.events.on('change', listener);

    return () => this.events.off('change', listener);
  }

  list(type: string, namespace?: string): JsonObject[] {
    return [...this.bucket(type).values()]
      .filter((o) => !namespace || o.metadata?.namespace === namespace)
      .map(clone);
  }

  get(type: string, id: string): JsonObject | undefined {
    const found = this.bucket(type).get(id);

    return found ? clone(found) : undefined;
  }

  has(type: string, id: string): boolean {
    return this.bucket(type).has(id);
  }

  /** Seeds without events (used before any client is connected). */
  seed(type: string, objects: JsonObject[]): void {
    objects.forEach((o) => this.bucket(type).set(objectId(o), this.stamp(clone(o))));
  }

  create(type: string, object: JsonObject): JsonObject {
    const stored = this.stamp(clone(object));

    this.bucket(type).set(objectId(stored), stored);
    this.emit('create', type, stored);

    return clone(stored);
  }

  update(type: string, object: JsonObject): JsonObject {
    const id = objectId(object);
    const previous = this.bucket(type).get(id);
    const stored = this.stamp({
      ...clone(object), metadata: { ...clone(object.metadata), uid: previous?.metadata?.uid, creationTimestamp: previous?.metadata?.creationTimestamp }
    });

    this.bucket(type).set(id, stored);
    this.emit('change', type, stored);

    return clone(stored);
  }

  remove(type: string, id: string): JsonObject | undefined {
    const found = this.bucket(type).get(id);

    if (!found) {
      return undefined;
    }
    this.bucket(type).delete(id);
    this.revisionCounter += 1;
    this.emit('remove', type, found);

    return clone(found);
  }

  clear(): void {
    this.types.clear();
  }
}
