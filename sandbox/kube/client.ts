/**
 * A small typed client for the real kube-apiserver that scripts/kube-apiserver.sh starts for the k8s tests.
 * Node's https only: bearer token + the generated CA, resource paths resolved through API discovery so any
 * object (including custom resources) can be applied, dry-run created, read, listed and deleted.
 */
import { readFileSync } from 'fs';
import { Agent, request as httpsRequest } from 'https';

export interface KubeEnv {
  server: string;
  token: string;
  caFile: string;
  kubeconfig: string;
  runDir: string;
  version: string;
}

/** Any Kubernetes object; only the identifying fields are typed. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; generateName?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  [field: string]: unknown;
}

export interface KubeResponse<T = any> {
  status: number;
  body: T;
  /** Texts of the `Warning` response headers (admission warnings, deprecations), unquoted. */
  warnings: string[];
}

export interface ResourceInfo {
  resource: string;
  namespaced: boolean;
}

export interface ResourceAttributes {
  verb: string;
  group?: string;
  version?: string;
  resource: string;
  subresource?: string;
  name?: string;
  namespace?: string;
}

export interface NonResourceAttributes {
  verb: string;
  path: string;
}

export interface AccessSubject {
  user: string;
  groups?: string[];
}

export interface AccessReviewResult {
  allowed: boolean;
  denied: boolean;
  reason: string;
}

const ENV_VARIABLE = 'KUBE_TEST_ENV';

/**
 * The connection details written by `scripts/kube-apiserver.sh start`. Throws (never skips) when the server
 * was not started, so a missing server fails the suite with instructions instead of passing vacuously.
 */
export function readKubeEnv(): KubeEnv {
  const path = process.env[ENV_VARIABLE];

  if (!path) {
    throw new Error(`${ ENV_VARIABLE } is not set: start the API server with \`scripts/kube-apiserver.sh start\` and export ${ ENV_VARIABLE }=<printed path> (or use \`scripts/kube-apiserver.sh run -- <test command>\`)`);
  }
  let text: string;

  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${ ENV_VARIABLE }=${ path } cannot be read (${ (e as Error).message }): is the API server started?`);
  }
  const values: Record<string, string> = {};

  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');

    if (eq > 0) {
      values[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  const need = (key: string): string => {
    const value = values[key];

    if (!value) {
      throw new Error(`${ path } has no ${ key }: it was not written by scripts/kube-apiserver.sh start`);
    }

    return value;
  };

  return {
    server:     need('KUBE_SERVER'),
    token:      need('KUBE_TOKEN'),
    caFile:     need('KUBE_CA_FILE'),
    kubeconfig: need('KUBECONFIG'),
    runDir:     need('KUBE_RUN_DIR'),
    version:    need('KUBE_VERSION'),
  };
}

/** Parses `Warning` headers (RFC 7234: `299 - "text"`), given as raw header values. */
function parseWarningHeaders(values: string[]): string[] {
  return values.map((value) => {
    const match = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(value);

    return match ? match[1].replace(/\\(.)/g, '$1') : value;
  });
}

function reviewResult(review: any): AccessReviewResult {
  const status = review?.status ?? {};

  return { allowed: status.allowed === true, denied: status.denied === true, reason: String(status.reason ?? status.evaluationError ?? '') };
}

export class KubeError extends Error {
  constructor(readonly method: string, readonly path: string, readonly response: KubeResponse) {
    super(`${ method } ${ path } -> ${ response.status }: ${ response.body?.message ?? JSON.stringify(response.body) }`);
  }
}

export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${ apiVersion }` : `/api/${ apiVersion }`;
}

export class KubeClient {
  private readonly ca: Buffer;
  // Rancher's Steve reaches the API server through client-go over HTTP/2, many requests at once on one connection:
  // with four sockets a page's small lists waited here behind its large ones.
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 32 });
  private readonly discovery = new Map<string, Map<string, ResourceInfo>>();

  /** `token` overrides the admin token, e.g. with a ServiceAccount token from `serviceAccountToken`. */
  constructor(readonly env: KubeEnv, private readonly token: string = env.token) {
    this.ca = readFileSync(env.caFile);
  }

  /** A client that authenticates with another bearer token but shares the server and CA. */
  withToken(token: string): KubeClient {
    return new KubeClient(this.env, token);
  }

  close(): void {
    this.agent.destroy();
  }

  request<T = any>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeResponse<T>> {
    const url = new URL(path, this.env.server);
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));

    return new Promise((resolve, reject) => {
      const req = httpsRequest(url, {
        method,
        ca:      this.ca,
        agent:   this.agent,
        headers: {
          Authorization: `Bearer ${ this.token }`,
          Accept:        'application/json',
          ...(payload ? { 'Content-Type': contentType, 'Content-Length': payload.length } : {}),
        },
        timeout: 60_000,
      }, (res) => {
        const chunks: Buffer[] = [];

        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;

          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // Non-JSON bodies (e.g. /readyz) stay text.
          }
          // rawHeaders keeps repeated Warning headers apart (headers[] would join them with commas).
          const warningValues: string[] = [];

          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            if (res.rawHeaders[i].toLowerCase() === 'warning') {
              warningValues.push(res.rawHeaders[i + 1]);
            }
          }
          resolve({ status: res.statusCode ?? 0, body: parsed as T, warnings: parseWarningHeaders(warningValues) });
        });
        res.on('error', reject);
      });

      req.on('timeout', () => req.destroy(new Error(`${ method } ${ path } timed out`)));
      req.on('error', (e) => reject(new Error(`${ method } ${ url.href } failed: ${ e.message } (is the API server from scripts/kube-apiserver.sh running?)`)));
      if (payload) {
        req.write(payload);
      }
      req.end();
    });
  }

  /** Like request, but throws KubeError unless the status is 2xx. */
  async ok<T = any>(method: string, path: string, body?: unknown, contentType?: string): Promise<KubeResponse<T>> {
    const response = await this.request<T>(method, path, body, contentType);

    if (response.status < 200 || response.status > 299) {
      throw new KubeError(method, path, response);
    }

    return response;
  }

  /** Resource name and scope of a kind, from discovery (refreshed once on a miss, e.g. after a CRD was created). */
  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo> {
    for (const refresh of [false, true]) {
      if (refresh || !this.discovery.has(apiVersion)) {
        const response = await this.request(`GET`, groupVersionPath(apiVersion));
        const kinds = new Map<string, ResourceInfo>();

        if (response.status === 200) {
          for (const r of response.body.resources ?? []) {
            if (!String(r.name).includes('/')) {
              kinds.set(r.kind, { resource: r.name, namespaced: !!r.namespaced });
            }
          }
        }
        this.discovery.set(apiVersion, kinds);
      }
      const found = this.discovery.get(apiVersion)?.get(kind);

      if (found) {
        return found;
      }
    }
    throw new Error(`the API server does not serve ${ kind } in ${ apiVersion }`);
  }

  /** REST path of a collection (no name) or of one object. */
  async pathFor(apiVersion: string, kind: string, namespace?: string, name?: string): Promise<string> {
    const { resource, namespaced } = await this.resourceFor(apiVersion, kind);

    if (namespaced && !namespace) {
      throw new Error(`${ kind } ${ name ?? '' } is namespaced: a namespace is required`);
    }
    const scope = namespaced ? `/namespaces/${ encodeURIComponent(namespace as string) }` : '';

    return `${ groupVersionPath(apiVersion) }${ scope }/${ resource }${ name ? `/${ encodeURIComponent(name) }` : '' }`;
  }

  private objectPath(obj: KubeObject, withName: boolean, defaultNamespace?: string): Promise<string> {
    return this.pathFor(obj.apiVersion, obj.kind, obj.metadata.namespace ?? defaultNamespace, withName ? obj.metadata.name : undefined);
  }

  /** Server-side apply (force, field manager `kube-test`): creates or updates the object. */
  async apply<T = KubeObject>(obj: KubeObject, namespace?: string): Promise<T> {
    const path = await this.objectPath(obj, true, namespace);

    return (await this.ok<T>('PATCH', `${ path }?fieldManager=kube-test&force=true`, obj, 'application/apply-patch+yaml')).body;
  }

  async create<T = KubeObject>(obj: KubeObject, namespace?: string): Promise<T> {
    return (await this.ok<T>('POST', await this.objectPath(obj, false, namespace), obj)).body;
  }

  /**
   * Creates with `dryRun=All`: admission (including PodSecurity) runs and nothing is stored.
   * Returns the raw response, so callers can inspect a 403 and the warnings.
   */
  async dryRunCreate<T = any>(obj: KubeObject, namespace?: string): Promise<KubeResponse<T>> {
    return this.request<T>('POST', `${ await this.objectPath(obj, false, namespace) }?dryRun=All`, obj);
  }

  /** The object, or undefined when it does not exist. */
  async get<T = KubeObject>(apiVersion: string, kind: string, name: string, namespace?: string): Promise<T | undefined> {
    const path = await this.pathFor(apiVersion, kind, namespace, name);
    const response = await this.request<T>('GET', path);

    if (response.status === 404) {
      return undefined;
    }
    if (response.status !== 200) {
      throw new KubeError('GET', path, response);
    }

    return response.body;
  }

  async list<T = KubeObject>(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<T[]> {
    const { namespaced } = await this.resourceFor(apiVersion, kind);
    // A namespaced kind without a namespace lists across all namespaces.
    const path = namespaced && !namespace ? (await this.pathFor(apiVersion, kind, '_')).replace('/namespaces/_', '') : await this.pathFor(apiVersion, kind, namespace);
    const query = labelSelector ? `?labelSelector=${ encodeURIComponent(labelSelector) }` : '';

    const items = (await this.ok<{ items: Record<string, unknown>[] }>('GET', `${ path }${ query }`)).body.items ?? [];

    // List items come without apiVersion/kind; put them back so items can be handled like single objects.
    return items.map((item) => ({ apiVersion, kind, ...item }) as unknown as T);
  }

  /** Deletes the object if it exists (404 is fine). */
  async delete(apiVersion: string, kind: string, name: string, namespace?: string): Promise<void> {
    const path = await this.pathFor(apiVersion, kind, namespace, name);
    const response = await this.request('DELETE', path, { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' });

    if (response.status !== 404 && (response.status < 200 || response.status > 299)) {
      throw new KubeError('DELETE', path, response);
    }
  }

  /** Applies a namespace with the given labels (e.g. pod-security.kubernetes.io/enforce) and its `default` ServiceAccount. */
  async ensureNamespace(name: string, labels: Record<string, string> = {}): Promise<void> {
    await this.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
    // No controller-manager runs, so nothing creates the default ServiceAccount that pod admission expects.
    await this.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } });
  }

  /** A SubjectAccessReview for a user (or `system:serviceaccount:<ns>:<name>`) and groups. */
  async accessReview(subject: AccessSubject, attributes: ResourceAttributes | NonResourceAttributes): Promise<AccessReviewResult> {
    const spec = 'path' in attributes ? { user: subject.user, groups: subject.groups ?? [], nonResourceAttributes: attributes } : { user: subject.user, groups: subject.groups ?? [], resourceAttributes: attributes };
    const response = await this.ok('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec
    });

    return reviewResult(response.body);
  }

  /** A SelfSubjectAccessReview: may the identity of this client's token do this? */
  async selfAccessReview(attributes: ResourceAttributes | NonResourceAttributes): Promise<AccessReviewResult> {
    const spec = 'path' in attributes ? { nonResourceAttributes: attributes } : { resourceAttributes: attributes };
    const response = await this.ok('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec
    });

    return reviewResult(response.body);
  }

  /** A bound token for a ServiceAccount through the TokenRequest API (the API server signs it itself). */
  async serviceAccountToken(namespace: string, name: string, expirationSeconds = 600): Promise<string> {
    const path = `/api/v1/namespaces/${ encodeURIComponent(namespace) }/serviceaccounts/${ encodeURIComponent(name) }/token`;
    const response = await this.ok('POST', path, {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds }
    });

    return response.body.status.token;
  }

  /** Who the API server thinks this client is (SelfSubjectReview). */
  async whoAmI(): Promise<{ username: string; groups: string[] }> {
    const response = await this.ok('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview'
    });
    const info = response.body.status?.userInfo ?? {};

    return { username: String(info.username ?? ''), groups: Array.isArray(info.groups) ? info.groups : [] };
  }

  /** Waits until a CustomResourceDefinition is Established and its kind is served. */
  async waitForCrd(name: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;

    while (Date.now() < deadline) {
      const crd: any = await this.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', name);
      const established = (crd?.status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True');

      if (established) {
        const { group, versions, names } = crd.spec;
        const served = versions.find((v: any) => v.served)?.name;

        try {
          await this.resourceFor(`${ group }/${ served }`, names.kind);

          return;
        } catch {
          // Discovery can lag a moment behind the Established condition.
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`CustomResourceDefinition ${ name } not established after ${ timeoutMs }ms`);
  }
}
