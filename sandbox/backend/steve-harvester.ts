/**
 * The Harvester cluster's own Steve API (`/v1/harvester`): the Kubernetes types plus what Harvester's
 * API server adds to Steve. Of those, its UI asks for the `cluster` type's `machineTypes` link when a
 * VM page opens (harvester-ui-extension v1.7.3 mixins/harvester-vm/index.js created():
 * `v1/harvester/clusters/local?link=machineTypes`).
 *
 * harvester/harvester v1.7.3 pkg/api/cluster: a schema `cluster` with one object, `local` (store.go;
 * any other id fails), GET only, links `deviceCapacity` and `machineTypes` (schema.go); `machineTypes`
 * answers a JSON array of the machine types of the server's architecture, `["q35"]` on amd64
 * (formatter.go generateMachineTypes). `deviceCapacity` (node allocatable minus VMs' host devices) is
 * not asked for by the UI and not served.
 */
import { ServerResponse } from 'http';
import { JsonObject, sendJson } from './http';
import { SteveSource, handleSteve, steveError, typeForSegment } from './steve-api';
import { forgetOpenApiDocument, openApiDocument, schemaDefinition } from './steve-definitions';

type OpenApiClient = Parameters<typeof openApiDocument>[0];

const LOCAL = 'local';

/** What the server's architecture offers (the sandbox stands in for an amd64 cluster). */
export const MACHINE_TYPES = ['q35'];

export function clusterSchema(base: string): JsonObject {
  return {
    id:                'cluster',
    type:              'schema',
    links:             { self: `${ base }/schemas/cluster`, collection: `${ base }/clusters` },
    pluralName:        'clusters',
    resourceMethods:   ['GET'],
    collectionMethods: ['GET'],
    resourceFields:    { name: { type: 'string' } },
    attributes:        {},
  };
}

export function localCluster(base: string): JsonObject {
  const self = `${ base }/clusters/${ LOCAL }`;

  return {
    id: LOCAL, type: 'cluster', name: LOCAL, links: { self, deviceCapacity: `${ self }?link=deviceCapacity`, machineTypes: `${ self }?link=machineTypes` }
  };
}

/** Answers `clusters[/local][?link=...]`; false for any other path. */
function handleClusters(method: string, segments: string[], query: URLSearchParams, base: string, res: ServerResponse): boolean {
  if (segments[0] !== 'clusters') {
    return false;
  }
  const [, id] = segments;
  const link = query.get('link');

  if (method !== 'GET') {
    steveError(res, { status: 405, code: 'MethodNotAllowed', message: `${ method } is not allowed on clusters` });
  } else if (!id) {
    sendJson(res, 200, {
      type: 'collection', links: { self: `${ base }/clusters` }, resourceType: 'cluster', data: [localCluster(base)]
    });
  } else if (id !== LOCAL) {
    steveError(res, { status: 500, code: 'ServerError', message: 'only supported cluster id is local' });
  } else if (link === 'machineTypes') {
    sendJson(res, 200, MACHINE_TYPES);
  } else if (link) {
    steveError(res, { status: 404, code: 'NotFound', message: `the sandbox serves no link ${ link } of clusters/local` });
  } else {
    sendJson(res, 200, localCluster(base));
  }

  return true;
}

/** `schemaDefinitions/<schema id>`, from the API server's OpenAPI document (steve-definitions.ts). */
async function handleSchemaDefinition(source: SteveSource, kube: OpenApiClient, id: string, base: string, res: ServerResponse): Promise<void> {
  const def = typeForSegment(source, id);

  if (!def || def.id !== id) {
    steveError(res, { status: 404, code: 'NotFound', message: 'no such schema' });

    return;
  }
  const definition = schemaDefinition(await openApiDocument(kube), def, base);

  if (definition) {
    sendJson(res, 200, definition);
  } else {
    // Steve's answer until its model cache knows the type; the shell retries (models/steve-schema.ts).
    forgetOpenApiDocument(kube);
    steveError(res, { status: 503, code: 'SchemasNotRefreshed', message: 'no model found for schema, try again after refresh' });
  }
}

/**
 * One request to the Harvester Steve API; `path` is what follows the base. False when it names nothing served.
 * `kube` reads the API server's OpenAPI document for schema definitions.
 */
export async function handleHarvesterSteve(source: SteveSource, base: string, method: string, path: string, query: URLSearchParams, text: string, res: ServerResponse, kube: OpenApiClient): Promise<boolean> {
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);

  if (handleClusters(method, segments, query, base, res)) {
    return true;
  }
  if (segments[0] === 'schemaDefinitions' && segments.length === 2 && method === 'GET') {
    await handleSchemaDefinition(source, kube, segments[1], base, res);

    return true;
  }

  return handleSteve(source, base, method, path, text, res, [clusterSchema(base)], query);
}
