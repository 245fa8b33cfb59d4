/**
 * Steve's wire formats (rancher/steve): schemas, collections and resources with `id`, `type`,
 * `links` and the `metadata.state` summary the dashboard's lists and badges read.
 */
import { JsonObject } from './http';
import { TypeDef } from './types';
import { steveColumns } from './steve-columns';
import { FieldFilter, NO_FILTER, filterFields } from './steve-fields';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** The URL segment of a type's collection: Steve uses `<group>.<plural resource>` (`apps.deployments`). */
export function collectionName(def: TypeDef): string {
  return def.group ? `${ def.group }.${ def.resource }` : def.resource;
}

export function steveSchema(def: TypeDef, base: string): JsonObject {
  const columns = steveColumns(def.id);

  return {
    id:                def.id,
    type:              'schema',
    links:             { self: `${ base }/schemas/${ def.id }`, collection: `${ base }/${ collectionName(def) }` },
    pluralName:        collectionName(def),
    resourceMethods:   ['GET', 'DELETE', 'PUT', 'PATCH'],
    collectionMethods: ['GET', 'POST'],
    resourceFields:    null,
    attributes:        {
      group: def.group, version: def.version, kind: def.kind, resource: def.resource, namespaced: def.namespaced, verbs: VERBS, ...(columns ? { columns } : {})
    },
  };
}

/** Steve's summary of an object's state (a reduced form of rancher/wrangler's summary package). */
export function objectState(def: TypeDef, object: JsonObject): JsonObject {
  const status = object.status || {};
  const deleting = !!object.metadata?.deletionTimestamp;
  let name = 'active';
  let error = false;
  let transitioning = deleting;

  if (deleting) {
    name = 'removing';
  } else if (def.kind === 'Pod') {
    name = String(status.phase || 'pending').toLowerCase();
    error = name === 'failed';
    transitioning = name === 'pending';
  } else if (def.kind === 'Deployment' || def.kind === 'StatefulSet') {
    const wanted = object.spec?.replicas ?? 1;

    transitioning = (status.readyReplicas || 0) < wanted;
    name = transitioning ? 'updating' : 'active';
  } else if (def.kind === 'DaemonSet') {
    transitioning = (status.numberReady || 0) < (status.desiredNumberScheduled || 0);
    name = transitioning ? 'updating' : 'active';
  } else if (def.kind === 'Namespace') {
    name = String(status.phase || 'active').toLowerCase();
  }

  return {
    name, error, transitioning, message: ''
  };
}

export function resourceUrl(def: TypeDef, base: string, id: string): string {
  return `${ base }/${ collectionName(def) }/${ id }`;
}

/** A resource as Steve answers with it; `fields`, the request's include/exclude parameters (steve-fields.ts). */
export function steveResource(def: TypeDef, object: JsonObject, base: string, fields: FieldFilter = NO_FILTER): JsonObject {
  const { name, namespace } = object.metadata || {};
  const id = namespace ? `${ namespace }/${ name }` : String(name);
  const self = resourceUrl(def, base, id);
  // `type` is Steve's: a Secret's own `type` field travels as `_type`.
  const { type: kubeType, ...own } = object;
  const kube = filterFields({
    apiVersion: own.apiVersion || (def.group ? `${ def.group }/${ def.version }` : def.version),
    kind:       own.kind || def.kind,
    ...own,
    ...(kubeType !== undefined ? { _type: kubeType } : {}),
    metadata:   { ...own.metadata, state: objectState(def, object) },
  }, fields);

  return {
    ...kube,
    id,
    type:  def.id,
    links: {
      self,
      update: self,
      remove: self,
      view:   self,
      // Rancher's ClusterRepo formatter adds the repository index (the shell's catalog store follows it).
      ...(def.id === 'catalog.cattle.io.clusterrepo' ? { index: `${ self }?link=index` } : {}),
    },
  };
}

/** A collection of `count` objects without them (`data` empty, last): what sendJsonList fills. */
export function steveCollectionHead(def: TypeDef, base: string, revision: string, count: number): { data: JsonObject[] } & JsonObject {
  return {
    type:         'collection',
    links:        { self: `${ base }/${ collectionName(def) }` },
    createTypes:  { [def.id]: `${ base }/${ collectionName(def) }` },
    actions:      {},
    resourceType: def.id,
    revision,
    count,
    data:         [],
  };
}

export function schemaCollection(defs: TypeDef[], base: string, extra: JsonObject[] = []): JsonObject {
  return {
    type:         'collection',
    links:        { self: `${ base }/schemas` },
    resourceType: 'schema',
    data:         [...defs.map((d) => steveSchema(d, base)), ...extra],
  };
}

/** The `count` type: one object summarizing how many objects of each type (and namespace) exist. */
export function countsCollection(counts: Record<string, { total: number; namespaces: Record<string, number> }>, base: string): JsonObject {
  const entries = Object.fromEntries(Object.entries(counts).map(([type, { total, namespaces }]) => [type, {
    summary:    { count: total },
    namespaces: Object.fromEntries(Object.entries(namespaces).map(([ns, count]) => [ns, { count }])),
    revision:   '1',
  }]));

  return {
    type:         'collection',
    links:        { self: `${ base }/counts` },
    resourceType: 'count',
    data:         [{
      id: 'count', type: 'count', links: { self: `${ base }/counts/count` }, counts: entries
    }],
  };
}

export const COUNT_SCHEMA = (base: string): JsonObject => ({
  id:                'count',
  type:              'schema',
  links:             { self: `${ base }/schemas/count`, collection: `${ base }/counts` },
  pluralName:        'counts',
  resourceMethods:   ['GET'],
  collectionMethods: ['GET'],
  resourceFields:    null,
  attributes:        {},
});
