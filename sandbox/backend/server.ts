/**
 * The backend the e2e dashboard talks to, on 127.0.0.1: the built dashboard itself, Rancher's
 * APIs (Norman, management Steve), the Harvester cluster's Steve API and raw Kubernetes API served
 * from the real kube-apiserver, Kubernetes service-proxy paths to the DeepFlow querier and Grafana,
 * the Steve/Norman websockets, and `/__e2e/*` controls for the tests (recorded writes, stack state,
 * Grafana reachability, holding the Addon controller in a phase). The sandbox (sandbox/main.ts) runs the same
 * backend with a login, Rancher's header banner and without the test controls.
 */
import * as fs from 'fs';
import { IncomingMessage, Server, ServerResponse, createServer } from 'http';
import * as path from 'path';
import { WebSocketServer } from 'ws';
import { KubeClient, KubeEnv } from '../kube/client';
import { AddonController } from './addon-controller';
import {
  JsonObject, isRecord, kubeStatus, parseJson, readBody, sendJson, sendText, withoutKeys
} from './http';
import { answerGrafana } from './grafana';
import { AGENT_STATE_PORT, answerAgentStateProxy } from './deepflow-controller';
import { KubeSource, kubePath } from './kube-source';
import { installCrds, putObjects, typedObjects } from './kube-seed';
import { MemorySource } from './memory-source';
import { handleNorman } from './norman-api';
import { QuerierThread } from './querier-thread';
import { ClusterSeed, buildCluster } from './seed/cluster';
import {
  ADDON_NAME, AGENT_NAMESPACE, CLUSTER_ID, RANCHER_VERSION, STACK_NAMESPACE
} from './seed/constants';
import { FlowEdge, buildFlowEdges } from './seed/flows';
import { rancherObjects } from './seed/rancher';
import { installedAddon, stackNamespace } from './seed/stack';
import { Credentials, Sessions } from './session';
import { PublishedExtension, handleUiPlugins } from './ui-plugins';
import { handleSteve } from './steve-api';
import { handleHarvesterSteve } from './steve-harvester';
import { serveNormanSocket, serveSteveSocket } from './steve-socket';
import {
  CLUSTER_TYPES, MANAGEMENT_TYPES, typeById
} from './types';
import { finishNamespaceDeletion } from '../kube/controllers';

export interface RecordedWrite { method: string; path: string; body: unknown; status: number }

export interface BackendOptions {
  kubeEnv: KubeEnv;
  dashboardDir: string;
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** How long each phase of an Addon install/disable lasts. */
  addonStepMs?: number;
  /** Extensions the dashboard loads at runtime from /v1/uiplugins (the published UMD bundle). */
  extensions?: PublishedExtension[];
  /** Rancher's login; without it every request is signed in as the seeded admin. */
  credentials?: Credentials;
  /** Value of Rancher's `ui-banners` setting (the sandbox's header banner). */
  banners?: string;
  /** The `/__e2e/*` test controls (default on; the sandbox turns them off). */
  controls?: boolean;
  /** Another cluster and its flow edges (the scale benchmark's, seed/scale.ts) instead of the normal seed. */
  seed?: { cluster: ClusterSeed; edges: FlowEdge[] };
}

/** Rancher's management objects, with the installed extensions' UIPlugin resources and the banner setting. */
function managementObjects(options: BackendOptions): Record<string, JsonObject[]> {
  const objects = rancherObjects();

  const settings = objects['management.cattle.io.setting'];
  const banners = settings.find((s) => s.metadata.name === 'ui-banners');

  if (options.banners !== undefined && banners) {
    banners.value = options.banners;
    banners.customized = true;
  }
  // Rancher has this setting (the shell's SETTING.ADD_EXTENSION_REPOS_BANNER_DISPLAY); without it the
  // Extensions page looks it up, gets 404 and creates it.
  if (banners && !settings.some((s) => s.metadata.name === 'display-add-extension-repos-banner')) {
    settings.push({
      ...banners, metadata: { ...banners.metadata, name: 'display-add-extension-repos-banner' }, value: 'true', default: 'true', customized: false
    });
  }
  if (options.extensions?.length) {
    objects['catalog.cattle.io.uiplugin'] = options.extensions.map((e) => e.uiPlugin);
  }

  return objects;
}

const CLUSTER_PREFIX = `/k8s/clusters/${ CLUSTER_ID }`;
const CLUSTER_STEVE = `${ CLUSTER_PREFIX }/v1`;
const HARVESTER_STEVE = `${ CLUSTER_STEVE }/harvester`;
/** Rancher serves its own (local) cluster's Steve API here too: the Extensions page (/c/local/uiplugins) reads it. */
const LOCAL_STEVE = '/k8s/clusters/local/v1';
const SERVICE_PROXY = /^\/api\/v1\/namespaces\/([^/]+)\/services\/(?:https?:)?([^/:]+)(?::(\d+))?\/proxy(\/.*)?$/;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'application/javascript', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.eot': 'application/vnd.ms-fontobject'
};
const def = (id: string) => typeById(CLUSTER_TYPES, id);

export class E2eBackend {
  readonly writes: RecordedWrite[] = [];
  readonly kube: KubeClient;
  readonly cluster: KubeSource;
  readonly management: MemorySource;
  readonly controller: AddonController;
  grafanaUp = true;
  private readonly querier: QuerierThread;
  private readonly sessions: Sessions;
  private server?: Server;
  private sockets?: WebSocketServer;

  constructor(private readonly options: BackendOptions) {
    this.kube = new KubeClient(options.kubeEnv);
    this.cluster = new KubeSource(this.kube, CLUSTER_TYPES);
    this.management = new MemorySource(MANAGEMENT_TYPES, managementObjects(options));
    this.sessions = new Sessions(options.credentials);
    this.controller = new AddonController(this.kube, options.addonStepMs ?? 1500);
    const seed = options.seed?.cluster ?? buildCluster();

    this.seedObjects = seed.objects;
    // As many threads as Traffic Flows sends statements at once (edges, talkers, records): DeepFlow's querier
    // answers them side by side, and with fewer the small records statement waited behind a large one.
    this.querier = new QuerierThread(options.seed?.edges ?? buildFlowEdges(seed.endpoints), 3);
  }

  private readonly seedObjects: Record<string, JsonObject[]>;

  /** Seeds the API server, starts the controller and listens; resolves with the base URL. */
  async start(): Promise<string> {
    await installCrds(this.kube);
    await putObjects(this.kube, typedObjects(this.seedObjects), { concurrency: 16 });
    await this.querier.start();
    this.controller.start();
    const server = createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        console.error('e2e backend:', req.method, req.url, e);
        if (!res.headersSent) {
          sendJson(res, 500, kubeStatus(500, 'InternalError', String(e?.message || e)));
        }
      });
    });
    const sockets = new WebSocketServer({ noServer: true });

    this.sockets = sockets;

    server.on('upgrade', (req, socket, head) => {
      const pathname = new URL(req.url || '/', 'http://x').pathname;

      if (!this.sessions.signedIn(req)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');

        return;
      }

      const origin = `http://${ req.headers.host }`;

      sockets.handleUpgrade(req, socket, head, (ws) => {
        if (pathname === '/v3/subscribe') {
          serveNormanSocket(ws);
        } else if (pathname === '/v1/subscribe') {
          serveSteveSocket(ws, this.management, `${ origin }/v1`, RANCHER_VERSION);
        } else if (pathname === `${ LOCAL_STEVE }/subscribe`) {
          serveSteveSocket(ws, this.management, `${ origin }${ LOCAL_STEVE }`, RANCHER_VERSION);
        } else if (pathname === `${ HARVESTER_STEVE }/subscribe` || pathname === `${ CLUSTER_STEVE }/subscribe`) {
          serveSteveSocket(ws, this.cluster, `${ origin }${ pathname.replace(/\/subscribe$/, '') }`, RANCHER_VERSION);
        } else {
          ws.close(1008, 'no such subscription endpoint');
        }
      });
    });
    this.server = server;
    const host = this.options.host || '127.0.0.1';

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port || 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();

    return `http://${ host === '0.0.0.0' ? '127.0.0.1' : host }:${ typeof address === 'object' && address ? address.port : 0 }`;
  }

  /** Stops listening and ends every connection, websockets included (a browser may still be open). */
  async stop(): Promise<void> {
    this.controller.stop();
    const closed = new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));

    this.sockets?.clients.forEach((ws) => ws.terminate());
    this.server?.closeAllConnections();
    await closed;
    await this.querier.stop();
    this.cluster.close();
    this.kube.close();
  }

  /** The querier stand-in drops the totals it holds from earlier statements (querier-thread.ts QuerierThread.forget). */
  forgetQuerierAnswers(): void {
    this.querier.forget();
  }

  /** The Linux thread ids of the querier stand-in's threads (the scale bench reports their CPU apart). */
  querierThreadIds(): number[] {
    return this.querier.threadIds();
  }

  /** The querier stand-in's answer to one form body, as the service proxy passes it on (the scale bench times it). */
  askQuerier(body: string): Promise<{ status: number; text: string }> {
    return this.querier.answer(body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url || '/', 'http://127.0.0.1');
    const pathname = url.pathname;
    const method = req.method || 'GET';
    // Steve's links are absolute URLs, and the dashboard parses some of them with new URL().
    const origin = `http://${ req.headers.host }`;

    const body = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);

    const signedIn = this.sessions.signedIn(req);

    // Rancher tells the dashboard on every API answer whether the session is authenticated.
    res.setHeader('x-api-cattle-auth', signedIn ? 'true' : 'false');

    if (pathname.startsWith('/__e2e/') && this.options.controls !== false) {
      return this.control(method, pathname, body, res);
    }
    if (this.sessions.handle(method, pathname, body, req, res)) {
      return;
    }
    if (!signedIn && /^\/(v1|v3|k8s|meta|__e2e)(\/|$)/.test(pathname) && !Sessions.isPublic(method, pathname)) {
      sendJson(res, 401, {
        type: 'error', status: 401, code: 'Unauthorized', message: 'must authenticate: sign in on the login page'
      });

      return;
    }
    if (body || method !== 'GET') {
      this.recordWrite(method, pathname, body, res);
    }
    if (handleNorman(method, pathname, res)) {
      return;
    }
    if (pathname.startsWith(`${ HARVESTER_STEVE }/`)) {
      if (!await handleHarvesterSteve(this.cluster, `${ origin }${ HARVESTER_STEVE }`, method, pathname.slice(HARVESTER_STEVE.length), url.searchParams, body, res, this.kube)) {
        sendJson(res, 404, kubeStatus(404, 'NotFound', `${ pathname } not found`));
      }

      return;
    }
    if (pathname.startsWith(`${ CLUSTER_STEVE }/`)) {
      if (!await handleSteve(this.cluster, `${ origin }${ CLUSTER_STEVE }`, method, pathname.slice(CLUSTER_STEVE.length), body, res, [], url.searchParams)) {
        sendJson(res, 404, kubeStatus(404, 'NotFound', `${ pathname } not found`));
      }

      return;
    }
    if (method === 'GET' && url.searchParams.get('link') === 'index' && /^(\/k8s\/clusters\/local)?\/v1\/catalog\.cattle\.io\.clusterrepos\/[^/]+$/.test(pathname)) {
      return this.repoIndex(pathname.split('/').pop() || '', res);
    }
    if (pathname.startsWith(`${ LOCAL_STEVE }/`)) {
      if (!await handleSteve(this.management, `${ origin }${ LOCAL_STEVE }`, method, pathname.slice(LOCAL_STEVE.length), body, res)) {
        sendJson(res, 404, kubeStatus(404, 'NotFound', `${ pathname } not found`));
      }

      return;
    }
    if (pathname.startsWith(`${ CLUSTER_PREFIX }/`)) {
      return this.clusterApi(method, pathname.slice(CLUSTER_PREFIX.length), url.search, body, req, res);
    }
    // Anonymous clients see only the extensions marked noAuth (Rancher's AnonymousIndex).
    if (handleUiPlugins((this.options.extensions || []).filter((e) => signedIn || e.uiPlugin.spec.plugin.noAuth), pathname, res)) {
      return;
    }
    if (pathname.startsWith('/v1/')) {
      if (!await handleSteve(this.management, `${ origin }/v1`, method, pathname.slice(3), body, res)) {
        sendJson(res, 404, {
          type: 'error', status: 404, code: 'NotFound', message: `${ pathname } not found`
        });
      }

      return;
    }
    if (/^\/(k8s|meta)(\/|$)/.test(pathname)) {
      sendJson(res, 404, kubeStatus(404, 'NotFound', `${ pathname } not found`));

      return;
    }
    this.serveDashboard(pathname, res);
  }

  /**
   * A ClusterRepo's `index` link: the seeded repository stands for the published one, so its index is the
   * published index.yaml (what Rancher would have downloaded from the repository's URL).
   */
  private async repoIndex(name: string, res: ServerResponse): Promise<void> {
    const repo = await this.management.get(typeById(MANAGEMENT_TYPES, 'catalog.cattle.io.clusterrepo'), undefined, decodeURIComponent(name));
    const index = this.options.extensions?.[0]?.repoIndex;

    if (!repo || !index) {
      sendJson(res, 404, {
        type: 'error', status: 404, code: 'NotFound', message: `no index for the repository ${ name }: ${ repo ? 'the sandbox serves no published repository' : 'no such ClusterRepo' }`
      });

      return;
    }
    sendJson(res, 200, index);
  }

  /** Keeps what the dashboard writes (the request body as parsed JSON or form) for the tests to assert on. */
  private recordWrite(method: string, pathname: string, text: string, res: ServerResponse): void {
    res.on('finish', () => this.writes.push({
      method, path: pathname, body: parseJson(text) ?? Object.fromEntries(new URLSearchParams(text)), status: res.statusCode
    }));
  }

  /** `/k8s/clusters/<id>/...`: the service proxy to DeepFlow, or the raw Kubernetes API. */
  private async clusterApi(method: string, rest: string, search: string, body: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const proxy = rest.match(SERVICE_PROXY);

    if (proxy) {
      return this.serviceProxy(method, proxy[1], proxy[2], proxy[4] || '/', search, body, res, proxy[3]);
    }
    const response = await this.kube.request(method, `${ rest }${ search }`, body || undefined, req.headers['content-type'] || 'application/json');

    typeof response.body === 'string' ? sendText(res, response.status, response.body) : sendJson(res, response.status, response.body);
  }

  /** Whether a Service has a ready pod behind it (what decides if its proxy answers or says "no endpoints"). */
  private async hasEndpoints(namespace: string, service: string): Promise<'missing' | 'no-endpoints' | 'ready'> {
    const svc = await this.cluster.get(def('service'), namespace, service);

    if (!svc) {
      return 'missing';
    }
    const selector = svc.spec?.selector || {};
    const { objects } = await this.cluster.list(def('pod'), namespace);
    const ready = objects.some((pod) => Object.entries(selector).every(([k, v]) => pod.metadata?.labels?.[k] === v) &&
      pod.status?.conditions?.some((c: JsonObject) => c.type === 'Ready' && c.status === 'True'));

    return ready ? 'ready' : 'no-endpoints';
  }

  private async serviceProxy(method: string, namespace: string, service: string, subPath: string, search: string, body: string, res: ServerResponse, port?: string): Promise<void> {
    const state = await this.hasEndpoints(namespace, service);

    if (state === 'missing') {
      sendJson(res, 404, kubeStatus(404, 'NotFound', `services "${ service }" not found`));

      return;
    }
    // kube-apiserver (pkg/registry/core/service/storage ResourceLocation) refuses a port the Service does not declare.
    if (port && !(await this.cluster.get(def('service'), namespace, service))?.spec?.ports?.some((p: JsonObject) => String(p.port) === port)) {
      sendJson(res, 503, kubeStatus(503, 'ServiceUnavailable', `no service port ${ port } found for service "${ service }"`));

      return;
    }
    if (state !== 'ready') {
      sendJson(res, 503, kubeStatus(503, 'ServiceUnavailable', `no endpoints available for service "${ service }"`));

      return;
    }
    if (service === 'hnm-grafana') {
      // Unreachable while its pod is ready: what a NetworkPolicy dropping the API server's traffic looks like.
      const answer = this.grafanaUp ? answerGrafana(method, `${ subPath }${ search }`) : {
        status: 503, headers: { 'content-type': 'application/json' }, body: JSON.stringify(kubeStatus(503, 'ServiceUnavailable', 'error trying to reach service: dial tcp 10.52.1.20:3000: i/o timeout'))
      };

      res.writeHead(answer.status, { 'cache-control': 'no-store', ...answer.headers });
      res.end(answer.body);

      return;
    }
    if (service === 'hnm-server' && port === String(AGENT_STATE_PORT)) {
      const answer = answerAgentStateProxy(method, subPath);

      res.writeHead(answer.status, { 'content-type': answer.contentType, ...answer.headers });
      res.end(answer.body);

      return;
    }
    if (service === 'hnm-server' && subPath.replace(/\/$/, '') === '/v1/query' && method === 'POST') {
      const answer = await this.querier.answer(body);

      sendText(res, answer.status, answer.text, 'application/json');

      return;
    }
    sendText(res, 404, '404 page not found\n');
  }

  private serveDashboard(pathname: string, res: ServerResponse): void {
    const root = this.options.dashboardDir;
    const file = path.normalize(path.join(root, pathname));
    const isFile = file.startsWith(root) && fs.existsSync(file) && fs.statSync(file).isFile();

    // A missing asset is a 404; any other path is a dashboard route, also when it ends in a dotted type id
    // (`/harvester/c/<cluster>/kubevirt.io.virtualmachine`).
    if (!isFile && CONTENT_TYPES[path.extname(pathname)] && !pathname.endsWith('.html')) {
      sendText(res, 404, 'not found');

      return;
    }
    const target = isFile ? file : path.join(root, 'index.html');

    res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(target)] || 'application/octet-stream', 'cache-control': isFile ? 'max-age=3600' : 'no-store' });
    fs.createReadStream(target).pipe(res);
  }

  private async control(method: string, pathname: string, text: string, res: ServerResponse): Promise<void> {
    const body = parseJson(text);

    if (pathname === '/__e2e/writes' && method === 'GET') {
      sendJson(res, 200, this.writes);
    } else if (pathname === '/__e2e/writes' && method === 'DELETE') {
      this.writes.length = 0;
      sendJson(res, 200, {});
    } else if (pathname === '/__e2e/grafana' && isRecord(body)) {
      this.grafanaUp = body.reachable !== false;
      sendJson(res, 200, { reachable: this.grafanaUp });
    } else if (pathname === '/__e2e/addon-controller' && isRecord(body)) {
      this.controller.hold(body.hold === true);
      sendJson(res, 200, { held: this.controller.held });
    } else if (pathname === '/__e2e/stack-pod-waiting' && isRecord(body)) {
      sendJson(res, 200, { pod: await this.stackPodWaiting(String(body.reason || 'ImagePullBackOff')) });
    } else if (pathname === '/__e2e/stack' && isRecord(body)) {
      await (body.installed ? this.installStack() : this.removeStack());
      sendJson(res, 200, { installed: !!body.installed, controllerErrors: this.controller.errors });
    } else {
      sendJson(res, 404, { message: `no control ${ method } ${ pathname }` });
    }
  }

  /**
   * Makes the first container of the stack's first pod wait for `reason` (as a kubelet reports it); its name. A held
   * install is let finish writing its phase first, so the two do not write the same pod at once.
   */
  private async stackPodWaiting(reason: string): Promise<string | undefined> {
    await this.controller.settled();
    const { body: list } = await this.kube.ok('GET', `/api/v1/namespaces/${ STACK_NAMESPACE }/pods`);
    const pod = list.items?.[0];
    const container = pod?.spec?.containers?.[0]?.name;

    if (!pod || !container) {
      return undefined;
    }
    await this.kube.ok('PUT', `/api/v1/namespaces/${ STACK_NAMESPACE }/pods/${ pod.metadata.name }/status`, {
      ...pod,
      status: {
        ...pod.status,
        phase:             'Pending',
        containerStatuses: [{
          name: container, ready: false, restartCount: 0, image: pod.spec.containers[0].image, imageID: '', state: { waiting: { reason, message: `Back-off pulling image "${ pod.spec.containers[0].image }"` } },
        }],
      },
    });

    return pod.metadata.name;
  }

  /** What the wizard would do (namespace + Addon), then waits for the controller to deploy it. */
  async installStack(): Promise<void> {
    await putObjects(this.kube, [{ type: def('namespace'), object: stackNamespace() }]);
    const addon = withoutKeys(installedAddon(), ['status']);

    await this.kube.request('POST', kubePath(def('harvesterhci.io.addon'), STACK_NAMESPACE), addon);
    await this.waitForAddon((a) => a?.status?.status === 'AddonDeploySuccessful');
  }

  /** Deletes the Addon (the controller removes the release) and the stack's namespaces. */
  async removeStack(): Promise<void> {
    await this.kube.request('DELETE', kubePath(def('harvesterhci.io.addon'), STACK_NAMESPACE, ADDON_NAME));
    await this.waitForAddon((a) => !a);
    await this.controller.idle();
    for (const namespace of [STACK_NAMESPACE, AGENT_NAMESPACE]) {
      if ((await this.kube.request('DELETE', `/api/v1/namespaces/${ namespace }`)).status === 200) {
        await finishNamespaceDeletion(this.kube, namespace);
      }
    }
  }

  private async waitForAddon(done: (addon: JsonObject | undefined) => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;

    while (!done(await this.cluster.get(def('harvesterhci.io.addon'), STACK_NAMESPACE, ADDON_NAME))) {
      if (Date.now() > deadline) {
        throw new Error(`the Addon did not reach the expected state within ${ timeoutMs } ms (controller errors: ${ this.controller.errors.join('; ') || 'none' })`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await this.controller.idle();
  }
}
