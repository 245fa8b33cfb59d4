/**
 * A Steve API (`<base>/<type>[/<namespace>]/<name>`, `<base>/schemas`, `<base>/counts`) over a
 * source of Kubernetes objects: the real API server for the Harvester cluster, an in-memory store
 * for Rancher's management objects.
 */
import { ServerResponse } from 'http';
import {
  JsonObject, isRecord, parseJson, sendJson, sendJsonList, withoutKeys
} from './http';
import { ChangeKind } from './store';
import { TypeDef } from './types';
import { fieldFilterOf } from './steve-fields';
import {
  COUNT_SCHEMA, collectionName, countsCollection, schemaCollection, steveCollectionHead, steveResource
} from './steve';

export type { ChangeKind };

export interface SourceError { status: number; code: string; message: string }

export type SourceResult = { ok: true; object: JsonObject } | { ok: false; error: SourceError };

export interface SteveSource {
  readonly defs: TypeDef[];
  /** `labelSelector`: Kubernetes' selector syntax, applied by the source (Steve passes it to the API server). */
  list(def: TypeDef, namespace?: string, labelSelector?: string): Promise<{ objects: JsonObject[]; revision: string }>;
  get(def: TypeDef, namespace: string | undefined, name: string): Promise<JsonObject | undefined>;
  create(def: TypeDef, object: JsonObject): Promise<SourceResult>;
  update(def: TypeDef, object: JsonObject): Promise<SourceResult>;
  remove(def: TypeDef, namespace: string | undefined, name: string): Promise<SourceResult>;
  /** Streams changes after `revision` until stopped; `onEnd` when the source ends the stream. */
  watch(def: TypeDef, namespace: string | undefined, revision: string | undefined, onChange: (kind: ChangeKind, object: JsonObject) => void, onEnd: (error?: string) => void): () => void;
}

export function steveError(res: ServerResponse, error: SourceError): void {
  sendJson(res, error.status, {
    type: 'error', links: {}, status: error.status, code: error.code, message: error.message
  });
}

export function typeForSegment(source: SteveSource, segment: string): TypeDef | undefined {
  return source.defs.find((d) => d.id === segment || collectionName(d) === segment);
}

async function counts(source: SteveSource): Promise<Record<string, { total: number; namespaces: Record<string, number> }>> {
  const out: Record<string, { total: number; namespaces: Record<string, number> }> = {};

  for (const def of source.defs) {
    const { objects } = await source.list(def);
    const namespaces: Record<string, number> = {};

    objects.forEach((o) => {
      if (o.metadata?.namespace) {
        namespaces[o.metadata.namespace] = (namespaces[o.metadata.namespace] || 0) + 1;
      }
    });
    out[def.id] = { total: objects.length, namespaces };
  }

  return out;
}

/**
 * Answers one Steve request; `path` is what follows the base (e.g. `/pods/ns/name`).
 * `extraSchemas` are served besides the source's types (what an API server adds to Steve). A list honors the
 * `labelSelector` query parameter: Steve passes Kubernetes' list parameters on (rancher/steve README.md, "Query
 * parameters": "on top of what Kubernetes supports"), and the dashboard's findMatching sends it (@rancher/shell
 * 3.0.8 plugins/steve/getters.js urlOptions). Reads honor Steve's `include`/`exclude` fields (steve-fields.ts).
 * Returns false when the path names no type of this source.
 */
export async function handleSteve(source: SteveSource, base: string, method: string, path: string, text: string, res: ServerResponse, extraSchemas: JsonObject[] = [], query = new URLSearchParams()): Promise<boolean> {
  const [segment, ...rest] = path.split('/').filter(Boolean).map(decodeURIComponent);

  if (segment === 'schemas') {
    const schemas = schemaCollection(source.defs, base, [COUNT_SCHEMA(base), ...extraSchemas]);

    if (rest.length) {
      const schema = schemas.data.find((s: JsonObject) => s.id === rest[0]);

      schema ? sendJson(res, 200, schema) : steveError(res, { status: 404, code: 'NotFound', message: `schema ${ rest[0] } not found` });
    } else {
      sendJson(res, 200, schemas);
    }

    return true;
  }
  if (segment === 'counts' || segment === 'count') {
    sendJson(res, 200, countsCollection(await counts(source), base));

    return true;
  }
  const def = typeForSegment(source, segment);

  if (!def) {
    return false;
  }
  // `<type>/<namespace>` lists a namespace, `<type>/<namespace>/<name>` is one object.
  const [namespace, name] = def.namespaced ? [rest[0], rest[1]] : [undefined, rest[0]];

  if (method === 'GET' && !name) {
    const { objects, revision } = await source.list(def, namespace, query.get('labelSelector') || undefined);
    const fields = fieldFilterOf(query);

    await sendJsonList(res, steveCollectionHead(def, base, revision, objects.length), objects, (o) => steveResource(def, o, base, fields));
  } else if (method === 'GET') {
    const object = await source.get(def, namespace, name);

    object ? sendJson(res, 200, steveResource(def, object, base, fieldFilterOf(query))) : steveError(res, { status: 404, code: 'NotFound', message: `${ def.resource } "${ name }" not found` });
  } else if (method === 'POST' || method === 'PUT') {
    const body = parseJson(text);

    if (!isRecord(body)) {
      steveError(res, { status: 422, code: 'InvalidBodyContent', message: 'the request body is not a JSON object' });

      return true;
    }
    const object = withoutSteveFields(def, body);
    const result = method === 'POST' ? await source.create(def, object) : await source.update(def, object);

    result.ok ? sendJson(res, method === 'POST' ? 201 : 200, steveResource(def, result.object, base)) : steveError(res, result.error);
  } else if (method === 'DELETE' && name) {
    const result = await source.remove(def, namespace, name);

    result.ok ? sendJson(res, 200, steveResource(def, result.object, base)) : steveError(res, result.error);
  } else {
    steveError(res, { status: 405, code: 'MethodNotAllowed', message: `${ method } is not allowed on ${ path }` });
  }

  return true;
}

/** What the dashboard sends is a Steve resource; Steve strips its own fields before it writes. */
function withoutSteveFields(def: TypeDef, body: JsonObject): JsonObject {
  const object = withoutKeys(body, ['id', 'type', 'links', 'actions', '_type']);
  const kubeType = body._type;
  const metadata = withoutKeys(object.metadata || {}, ['state', 'relationships', 'fields']);

  return {
    ...object,
    ...(kubeType !== undefined ? { type: kubeType } : {}),
    apiVersion: object.apiVersion || (def.group ? `${ def.group }/${ def.version }` : def.version),
    kind:       object.kind || def.kind,
    metadata,
  };
}
