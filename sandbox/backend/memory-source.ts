/** Rancher's management objects (clusters, settings, preferences, repos) held in memory. */
import { JsonObject } from './http';
import { ObjectStore, objectId } from './store';
import { ChangeKind, SourceResult, SteveSource } from './steve-api';
import { TypeDef } from './types';

const notFound = (def: TypeDef, name: string): SourceResult => ({ ok: false, error: { status: 404, code: 'NotFound', message: `${ def.resource } "${ name }" not found` } });

export class MemorySource implements SteveSource {
  readonly store = new ObjectStore();

  constructor(readonly defs: TypeDef[], seed: Record<string, JsonObject[]>) {
    Object.entries(seed).forEach(([type, objects]) => this.store.seed(type, objects));
  }

  async list(def: TypeDef, namespace?: string) {
    return { objects: this.store.list(def.id, namespace), revision: this.store.revision };
  }

  async get(def: TypeDef, namespace: string | undefined, name: string) {
    return this.store.get(def.id, namespace ? `${ namespace }/${ name }` : name);
  }

  async create(def: TypeDef, object: JsonObject): Promise<SourceResult> {
    if (this.store.has(def.id, objectId(object))) {
      return { ok: false, error: { status: 409, code: 'AlreadyExists', message: `${ def.resource } "${ object.metadata?.name }" already exists` } };
    }

    return { ok: true, object: this.store.create(def.id, object) };
  }

  async update(def: TypeDef, object: JsonObject): Promise<SourceResult> {
    return this.store.has(def.id, objectId(object)) ? { ok: true, object: this.store.update(def.id, object) } : notFound(def, object.metadata?.name);
  }

  async remove(def: TypeDef, namespace: string | undefined, name: string): Promise<SourceResult> {
    const removed = this.store.remove(def.id, namespace ? `${ namespace }/${ name }` : name);

    return removed ? { ok: true, object: removed } : notFound(def, name);
  }

  watch(def: TypeDef, namespace: string | undefined, _revision: string | undefined, onChange: (kind: ChangeKind, object: JsonObject) => void) {
    return this.store.onChange((change) => {
      if (change.type === def.id && (!namespace || change.object.metadata?.namespace === namespace)) {
        onChange(change.kind, change.object);
      }
    });
  }
}
