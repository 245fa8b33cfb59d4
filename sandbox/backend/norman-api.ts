/**
 * Rancher's Norman API (`/v3`, `/v3-public`, `/v1-public`) and `/rancherversion`: what the dashboard asks while it
 * signs the user in and loads its `rancher` store.
 */
import { ServerResponse } from 'http';
import { JsonObject, sendJson } from './http';
import { normanPrincipal, normanUser } from './seed/rancher';
import { RANCHER_VERSION } from './seed/constants';

function normanSchema(id: string, plural: string): JsonObject {
  return {
    id,
    type:              'schema',
    pluralName:        plural,
    links:             { self: `/v3/schemas/${ id }`, collection: `/v3/${ plural }` },
    collectionMethods: ['GET'],
    resourceMethods:   ['GET'],
    resourceFields:    {},
  };
}

const NORMAN_TYPES: Record<string, string> = {
  user: 'users', principal: 'principals', token: 'tokens', setting: 'settings', cluster: 'clusters', project: 'projects'
};

function collection(resourceType: string, data: JsonObject[]): JsonObject {
  return {
    type: 'collection', resourceType, links: { self: `/v3/${ NORMAN_TYPES[resourceType] || resourceType }` }, data
  };
}

function notFound(res: ServerResponse, path: string): void {
  sendJson(res, 404, {
    type: 'error', status: 404, code: 'NotFound', message: `${ path } not found`
  });
}

/** Answers `/v3...`, `/v3-public...`, `/v1-public...` and `/rancherversion`; false when the path is none of those. */
export function handleNorman(method: string, path: string, res: ServerResponse): boolean {
  if (path === '/rancherversion') {
    sendJson(res, 200, {
      Version: RANCHER_VERSION, GitCommit: 'e2e', RancherPrime: 'false'
    });

    return true;
  }
  if (path.startsWith('/v3-public') || path.startsWith('/v1-public')) {
    if (path.toLowerCase().startsWith('/v3-public/authproviders') || path.toLowerCase().startsWith('/v1-public/authproviders')) {
      sendJson(res, 200, {
        type: 'collection', resourceType: 'authProvider', data: [{ id: 'local', type: 'localProvider', links: {} }]
      });
    } else {
      notFound(res, path);
    }

    return true;
  }
  if (!path.startsWith('/v3/') && path !== '/v3') {
    return false;
  }
  const [segment] = path.slice('/v3/'.length).split('/');

  if (segment === 'schemas') {
    sendJson(res, 200, {
      type: 'collection', resourceType: 'schema', links: { self: '/v3/schemas' }, data: Object.entries(NORMAN_TYPES).map(([id, plural]) => normanSchema(id, plural))
    });
  } else if (segment === 'users' && method === 'GET') {
    sendJson(res, 200, collection('user', [normanUser()]));
  } else if (segment === 'principals' && method === 'GET') {
    sendJson(res, 200, collection('principal', [normanPrincipal()]));
  } else if (NORMAN_TYPES[segment.replace(/s$/, '')] && method === 'GET') {
    sendJson(res, 200, collection(segment.replace(/s$/, ''), []));
  } else {
    notFound(res, path);
  }

  return true;
}
