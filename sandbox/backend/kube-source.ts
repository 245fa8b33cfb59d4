/**
 * The Harvester cluster's objects, served from the real kube-apiserver (scripts/kube-apiserver.sh):
 * reads, writes (with the API server's validation and admission) and watches.
 */
import { KubeClient, groupVersionPath } from '../kube/client';
import { JsonObject } from './http';
import { watchKube } from './kube-watch';
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
  constructor(private readonly kube: KubeClient, readonly defs: TypeDef[]) {}

  async list(def: TypeDef, namespace?: string, labelSelector?: string): Promise<{ objects: JsonObject[]; revision: string }> {
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

  private async write(method: string, path: string, body?: unknown): Promise<SourceResult> {
    const response = await this.kube.request(method, path, body);

    return response.status >= 200 && response.status < 300 ? { ok: true, object: response.body } : { ok: false, error: asError(response.status, response.body) };
  }

  create(def: TypeDef, object: JsonObject) {
    return this.write('POST', kubePath(def, object.metadata?.namespace), object);
  }

  update(def: TypeDef, object: JsonObject) {
    return this.write('PUT', kubePath(def, object.metadata?.namespace, object.metadata?.name), object);
  }

  async remove(def: TypeDef, namespace: string | undefined, name: string) {
    return this.write('DELETE', kubePath(def, namespace, name), { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' });
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
