/**
 * The Harvester cluster's objects, served from the real kube-apiserver (scripts/kube-apiserver.sh):
 * reads, writes (with the API server's validation and admission) and watches. Lists come from an informer per
 * type, started by the type's first list, as Rancher's Steve cache answers them (kube-informer.ts); a list by
 * label selector and a single object are read from the API server.
 */
import { KubeClient, groupVersionPath } from '../kube/client';
import { JsonObject } from './http';
import { watchKube } from './kube-watch';
import { Informer } from './kube-informer';
import {
  ChangeKind, SourceError, SourceResult, SteveSource
} from './steve-api';
import { TypeDef, apiVersionOf } from './types';

const WATCH_KINDS: Record<string, ChangeKind> = { ADDED: 'create', MODIFIED: 'change', DELETED: 'remove' };

export function kubePath(def: TypeDef, namespace?: string, name?: string): string {
  const scope = def.namespaced && namespace ? `/namespaces/${ encodeURIComponent(namespace) }` : '';

  return `${ groupVersionPath(apiVersionOf(def)) }${ scope }/${ def.resource }${ name ? `/${ encodeURIComponent(name) }` : '' }`;
}

/** A Kubernetes Status failure as Steve reports it. */
function asError(status: number, body: any): SourceError {
  return {
    status,
    code:    String(body?.reason || 'ServerError'),
    message: String(body?.message || `the API server answered ${ status }`),
  };
}

export class KubeSource implements SteveSource {
  private readonly informers = new Map<string, Informer>();

  constructor(private readonly kube: KubeClient, readonly defs: TypeDef[]) {}

  list(def: TypeDef, namespace?: string, labelSelector?: string): Promise<{ objects: JsonObject[]; revision: string }> {
    return labelSelector ? this.listFromServer(def, namespace, labelSelector) : this.informer(def).list(namespace);
  }

  private informer(def: TypeDef): Informer {
    let informer = this.informers.get(def.id);

    if (!informer) {
      const started: Informer = new Informer(
        () => this.listFromServer(def),
        (revision, onChange, onEnd) => this.watch(def, undefined, revision, onChange, onEnd),
        () => this.informers.get(def.id) === started && this.informers.delete(def.id)
      );

      informer = started;
      this.informers.set(def.id, informer);
    }

    return informer;
  }

  /** Stops every informer's watch. */
  close(): void {
    [...this.informers.values()].forEach((i) => i.stop());
  }

  private async listFromServer(def: TypeDef, namespace?: string, labelSelector?: string): Promise<{ objects: JsonObject[]; revision: string }> {
    const response = await this.kube.request('GET', `${ kubePath(def, namespace) }${ labelSelector ? `?labelSelector=${ encodeURIComponent(labelSelector) }` : '' }`);

    if (response.status !== 200) {
      throw new Error(`listing ${ def.id }: ${ response.status } ${ JSON.stringify(response.body) }`);
    }
    const objects = (response.body.items || []).map((item: JsonObject) => ({ apiVersion: apiVersionOf(def), kind: def.kind, ...item }));

    return { objects, revision: String(response.body.metadata?.resourceVersion || '') };
  }

  async get(def: TypeDef, namespace: string | undefined, name: string) {
    const response = await this.kube.request('GET', kubePath(def, namespace, name));

    return response.status === 200 ? response.body : undefined;
  }

  /** A write the API server accepted is in the type's informer at once (its watch event follows). */
  private async write(def: TypeDef, kind: ChangeKind, method: string, path: string, body?: unknown, removed?: { namespace?: string; name: string }): Promise<SourceResult> {
    const response = await this.kube.request(method, path, body);

    if (response.status < 200 || response.status >= 300) {
      return { ok: false, error: asError(response.status, response.body) };
    }
    const informer = this.informers.get(def.id);

    if (kind !== 'remove') {
      informer?.apply(kind, { apiVersion: apiVersionOf(def), kind: def.kind, ...response.body });
    } else if (response.body?.metadata?.finalizers?.length) {
      // Still there until its finalizers are done: changed (a deletion timestamp), not gone.
      informer?.apply('change', { apiVersion: apiVersionOf(def), kind: def.kind, ...response.body });
    } else {
      // The API server may answer a deletion with a Status rather than the object.
      informer?.forget(removed?.namespace, removed?.name ?? '');
    }

    return { ok: true, object: response.body };
  }

  create(def: TypeDef, object: JsonObject) {
    return this.write(def, 'create', 'POST', kubePath(def, object.metadata?.namespace), object);
  }

  update(def: TypeDef, object: JsonObject) {
    return this.write(def, 'change', 'PUT', kubePath(def, object.metadata?.namespace, object.metadata?.name), object);
  }

  async remove(def: TypeDef, namespace: string | undefined, name: string) {
    return this.write(def, 'remove', 'DELETE', kubePath(def, namespace, name), { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' }, { namespace, name });
  }

  watch(def: TypeDef, namespace: string | undefined, revision: string | undefined, onChange: (kind: ChangeKind, object: JsonObject) => void, onEnd: (error?: string) => void) {
    return watchKube(this.kube.env, kubePath(def, namespace), revision, (event) => {
      if (event.type === 'ERROR') {
        // 410 Gone: the revision is too old; Steve reports it and the dashboard re-lists.
        onEnd(String(event.object?.message || 'watch error'));
      } else if (WATCH_KINDS[event.type]) {
        onChange(WATCH_KINDS[event.type], { apiVersion: apiVersionOf(def), kind: def.kind, ...event.object });
      }
    }, (error) => onEnd(error?.message));
  }
}
