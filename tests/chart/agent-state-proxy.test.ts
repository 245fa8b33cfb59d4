/**
 * The read-only agent-state proxy (server.agentStateProxy): an nginx sidecar in the hnm-server pod that admits
 * only GET/HEAD of DeepFlow's agent list. Rendered with real helm (on and off), validated with kubeconform and
 * kube-linter, and its rendered nginx.conf run by the REAL nginx in front of a fake controller: the one read
 * passes, every other method and path is refused before it reaches the controller.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { IncomingHttpHeaders, Server, createServer, request } from 'http';
import { AddressInfo, createServer as createNetServer } from 'net';
import { tmpdir } from 'os';
import path from 'path';
import { AGENT_STATE_PROXY } from '@pkg/domain/agents/controller-agents';
import {
  K8sObject, MONITORING_CHART, findObject, hasObject, renderChart, runHelm
} from '../support/helm';
import { kubeconform, removePreparedSchemas } from './support/kubeconform';
import { kubeLinter } from './support/kube-linter';

const NS = 'harvester-network-monitoring';
const on = renderChart();
const off = renderChart({ values: { server: { agentStateProxy: { enabled: false } } } });

const serverPod = (objects: K8sObject[]) => findObject(objects, 'Deployment', 'hnm-server', NS).spec.template.spec;
const sidecar = (objects: K8sObject[]) => serverPod(objects).containers.find((c: any) => c.name === 'agent-state-proxy');
/** "CIDRs -> ports" of the server policy's ingress rules whose peers are all ipBlocks (node / API-server sources). */
const ipBlockRules = (objects: K8sObject[]) => findObject(objects, 'NetworkPolicy', 'hnm-server', NS).spec.ingress
  .filter((r: any) => r.from.every((p: any) => p.ipBlock))
  .map((r: any) => `${ r.from.map((p: any) => p.ipBlock.cidr).join(',') } -> ${ r.ports.map((p: any) => p.port).join(',') }`);

describe('helm template', () => {
  afterAll(removePreparedSchemas);

  it('on by default: a hardened nginx sidecar in the server pod, on the named port the extension calls', () => {
    const c = sidecar(on.objects);
    const grafanaProxy = findObject(on.objects, 'Deployment', 'hnm-grafana', NS).spec.template.spec.containers.find((x: any) => x.name === 'grafana-proxy');

    expect(c.image).toBe(grafanaProxy.image);
    expect(c.image).toMatch(/nginx:\d+\.\d+\.\d+-alpine$/);
    expect(c.command).toEqual(['nginx', '-c', '/etc/agent-state-proxy/nginx.conf', '-g', 'daemon off;']);
    expect(c.ports).toEqual([{ name: AGENT_STATE_PROXY.portName, containerPort: AGENT_STATE_PROXY.port, protocol: 'TCP' }]);
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' }
    });
    ['requests', 'limits'].forEach((k) => expect(Object.keys(c.resources[k]).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']));
    expect(c.readinessProbe.tcpSocket.port).toBe('agent-state');
    expect(c.livenessProbe.tcpSocket.port).toBe('agent-state');
    // Only the config (read-only) and emptyDirs for nginx's temp files.
    const volumes = Object.fromEntries(serverPod(on.objects).volumes.map((v: any) => [v.name, v]));

    expect(c.volumeMounts.map((m: any) => [m.mountPath, !!m.readOnly, Object.keys(volumes[m.name]).filter((k) => k !== 'name')[0]])).toEqual([
      ['/etc/agent-state-proxy/nginx.conf', true, 'configMap'], ['/tmp', false, 'emptyDir'], ['/var/cache/nginx', false, 'emptyDir'],
    ]);
    expect(volumes['agent-state-proxy-config'].configMap.name).toBe('hnm-server-agent-state-proxy');
    expect(findObject(on.objects, 'Deployment', 'hnm-server', NS).spec.template.metadata.annotations['checksum/agent-state-proxy']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the Service carries the port; the NetworkPolicy admits the API server to it and never to the controller (20417)', () => {
    const svc = findObject(on.objects, 'Service', AGENT_STATE_PROXY.service, NS);

    expect(svc.spec.ports.find((p: any) => p.name === 'agent-state')).toEqual({
      name: 'agent-state', port: AGENT_STATE_PROXY.port, targetPort: 'agent-state', protocol: 'TCP'
    });
    expect(ipBlockRules(on.objects)).toEqual([
      '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16 -> 20035,20033',
      '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16 -> 20416,20419',
    ]);
    expect(ipBlockRules(on.objects).join(' ')).not.toContain('20417');
  });

  it('off: no sidecar, no ConfigMap, no Service port, and the API server is admitted to the querier only', () => {
    expect(sidecar(off.objects)).toBeUndefined();
    expect(hasObject(off.objects, 'ConfigMap', 'hnm-server-agent-state-proxy', NS)).toBe(false);
    expect(findObject(off.objects, 'Service', 'hnm-server', NS).spec.ports.map((p: any) => p.name)).toEqual(['querier', 'controller', 'grpc', 'ingester']);
    expect(ipBlockRules(off.objects)).toEqual([
      '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16 -> 20035,20033',
      '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16 -> 20416',
    ]);
    expect(off.yaml).not.toContain('20419');
  });

  it('the values schema accepts only enabled and resources', () => {
    const r = runHelm('template', { values: { server: { agentStateProxy: { enabled: true, port: 20417 } } } });

    expect(r.ok).toBe(false);
    expect(r.stderr).toMatch(/agentStateProxy|additional propert/i);
    expect(runHelm('template', { values: { server: { agentStateProxy: { resources: { requests: { cpu: '5m', memory: '16Mi' }, limits: { cpu: '50m', memory: '32Mi' } } } } } }).ok).toBe(true);
  });

  it.each([['on', on], ['off', off]])('%s: every object is valid (kubeconform) and passes kube-linter', (_name, r) => {
    const conform = kubeconform(r.yaml, r.objects);

    expect(conform.problems).toEqual([]);
    expect(kubeLinter(r.yaml).findings).toEqual([]);
  });

  it('the chart README says what is opened, which port and path, and why', () => {
    const readme = readFileSync(path.join(MONITORING_CHART, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Agent state and exceptions'), readme.indexOf('## Special deployment environments'));

    ['20419', '`agent-state`', '`GET /v1/vtaps/`', '**405**', '**404**', '20417 is never admitted', 'server.agentStateProxy.enabled', 'http:hnm-server:20419/proxy/v1/vtaps/'].forEach((s) => expect(section).toContain(s));
  });
});

// ---------------------------------------------------------------- the rendered nginx.conf, run by real nginx

// Debian installs it in /usr/sbin, which a non-root PATH may lack.
const NGINX = spawnSync('sh', ['-c', 'command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; }'], { encoding: 'utf8' }).stdout.trim();

if (!NGINX) {
  // CI machines run the setup, which installs it: there a missing nginx is a failure, not a skip.
  if (process.env.CI === 'true') {
    throw new Error('agent-state-proxy: nginx is missing although CI=true; scripts/setup.sh installs the Debian package nginx-light');
  }
  console.warn('agent-state-proxy: nginx is not installed on this machine (scripts/setup.sh installs the Debian package nginx-light), so the real-nginx tests are skipped.');
}

interface Seen { method: string; url: string; headers: IncomingHttpHeaders; body: string }
interface Answer { status: number; headers: IncomingHttpHeaders; body: string }

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();

    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;

      s.close(() => resolve(port));
    });
  });
}

function send(port: number, method: string, pathAndQuery: string, headers: Record<string, string> = {}, body = ''): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, method, path: pathAndQuery, headers: body ? { ...headers, 'content-length': String(Buffer.byteLength(body)) } : headers
    }, (res) => {
      let text = '';

      res.setEncoding('utf8');
      res.on('data', (d) => {
        text += d;
      });
      res.on('end', () => resolve({ status: res.statusCode || 0, headers: res.headers, body: text }));
    });

    req.on('error', reject);
    req.end(body || undefined);
  });
}

(NGINX ? describe : describe.skip)('the rendered nginx.conf in real nginx', () => {
  const seen: Seen[] = [];
  const LIST = JSON.stringify({ OPT_STATUS: 'SUCCESS', DESCRIPTION: '', DATA: null });
  let dir: string;
  let upstream: Server;
  let nginx: ChildProcess;
  let proxyPort: number;
  let nginxLog = '';

  beforeAll(async() => {
    upstream = createServer((req, res) => {
      let body = '';

      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        seen.push({
          method: req.method || '', url: req.url || '', headers: req.headers, body
        });
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'set-cookie': 'controller=1' });
        res.end(LIST);
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamPort = (upstream.address() as AddressInfo).port;

    proxyPort = await freePort();
    dir = mkdtempSync(path.join(tmpdir(), 'hnm-agent-state-nginx-'));
    const rendered: string = findObject(on.objects, 'ConfigMap', 'hnm-server-agent-state-proxy', NS).data['nginx.conf'];
    const listen = `listen ${ AGENT_STATE_PROXY.port };`;
    const controller = `proxy_pass http://127.0.0.1:${ AGENT_STATE_PROXY.controllerPort };`;

    // Only the addresses and the temp directory change; everything else runs as rendered.
    if (rendered.split(listen).length !== 2 || rendered.split(controller).length !== 2) {
      throw new Error(`the rendered nginx.conf should hold "${ listen }" and "${ controller }" once each:\n${ rendered }`);
    }
    const conf = rendered
      .replace(listen, `listen 127.0.0.1:${ proxyPort };`)
      .replace(controller, `proxy_pass http://127.0.0.1:${ upstreamPort };`)
      .split('/tmp/').join(`${ dir }/`);

    writeFileSync(path.join(dir, 'nginx.conf'), conf);
    nginx = spawn(NGINX, ['-e', 'stderr', '-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
    nginx.stderr?.on('data', (d) => {
      nginxLog += d;
    });
    const deadline = Date.now() + 10_000;

    for (;;) {
      try {
        await send(proxyPort, 'GET', '/');
        break;
      } catch (e) {
        if (Date.now() > deadline || nginx.exitCode !== null) {
          throw new Error(`nginx did not start: ${ nginxLog || e }`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  });

  afterAll(async() => {
    nginx?.kill('SIGTERM');
    await new Promise((resolve) => (nginx && nginx.exitCode === null ? nginx.on('exit', resolve) : resolve(undefined)));
    await new Promise((resolve) => upstream?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    seen.length = 0;
  });

  it('passes GET /v1/vtaps/ as exactly GET /v1/vtaps/: no query string, no caller identity, no cookie back', async() => {
    const r = await send(proxyPort, 'GET', '/v1/vtaps/?name=x&team_id=2&controller_ip=1.2.3.4', {
      Cookie: 'R_SESS=token-abc', Authorization: 'Bearer t', 'X-Org-Id': '2', 'X-User-Type': '1', 'X-User-Id': '1'
    });

    expect([r.status, r.body]).toEqual([200, LIST]);
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(r.headers.allow).toBe('GET, HEAD');
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([['GET', '/v1/vtaps/', '']]);
    ['cookie', 'authorization', 'x-org-id', 'x-user-type', 'x-user-id'].forEach((h) => expect([h, seen[0].headers[h]]).toEqual([h, undefined]));
  });

  it('answers HEAD from a GET to the controller, without a body', async() => {
    const r = await send(proxyPort, 'HEAD', '/v1/vtaps/');

    expect([r.status, r.body]).toEqual([200, '']);
    expect(seen.map((s) => [s.method, s.url])).toEqual([['GET', '/v1/vtaps/']]);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('refuses %s on the list with 405, and the controller never sees it', async(method) => {
    const r = await send(proxyPort, method, '/v1/vtaps/', { 'content-type': 'application/json' }, '{"CTRL_IP":"10.0.0.9","NAME":"x"}');

    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET, HEAD');
    expect(seen).toEqual([]);
  });

  it.each([
    '/', '/v1/vtaps', '/v1/vtaps/0c7e0001-7c1e-4f3a-9d2b-5e0a1b2c3d4e/', '/v1/vtaps/batch/', '/v1/vtaps-by-name/x/', '/v1/vtaps-csv/',
    '/v1/plugin/', '/v1/vtap-repo/', '/v1/vtap-group-configuration/', '/v1/health/', '/v1/query/', '/v1/vtaps/%2e%2e/plugin/', '/v1/vtaps/../plugin/',
  ])('refuses GET %s with 404, and the controller never sees it', async(p) => {
    expect((await send(proxyPort, 'GET', p)).status).toBe(404);
    expect((await send(proxyPort, 'POST', p, {}, '{}')).status).toBe(404);
    expect(seen).toEqual([]);
  });

  it('answers 502 when the controller is down (the Overview shows "controller not answering")', async() => {
    await new Promise((resolve) => upstream.close(resolve));
    expect((await send(proxyPort, 'GET', '/v1/vtaps/')).status).toBe(502);
  });
});
