/**
 * The sandbox: the real Rancher dashboard (@rancher/shell) loading this extension's published UMD bundle, on a
 * small Harvester cluster seeded into a real kube-apiserver, with stand-ins for Rancher's API, Harvester's
 * Addon controller, DeepFlow's querier and Grafana (sandbox/backend). scripts/start.sh runs it after the setup;
 * by hand: node --require ./sandbox/register.js sandbox/main.ts
 *
 * Settings (environment): PORT (default 8005; when it is given and taken the sandbox says so and exits 1, when
 * the default is taken a free port is used), HOST (default 127.0.0.1), SANDBOX_USER / SANDBOX_PASSWORD (default
 * admin / a random password), SANDBOX_STACK=installed (start with the monitoring stack installed),
 * SANDBOX_STARTED_AT (epoch milliseconds the caller started at, for the time-to-ready line).
 * SIGINT and SIGTERM stop everything it started: the server, the kube-apiserver and etcd.
 */
import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import { createServer } from 'net';
import * as path from 'path';
import { E2eBackend } from './backend/server';
import { installReadmeText, sandboxBannerSetting } from './backend/sandbox-banner';
import { buildDashboard } from './dashboard/build';
import { readKubeEnv } from './kube/client';
import { startKube, stopKube } from './kube/apiserver';
import { DASHBOARD_DIR, REPO_ROOT } from './paths';
import { publishedExtension } from './published-repo';

const DEFAULT_PORT = 8005;
/** Per instance, so a second sandbox never touches the first one's processes. */
const RUN_DIR = path.join(REPO_ROOT, 'tmp/sandbox', `run-${ process.pid }`);

class SandboxError extends Error {}

function log(message: string): void {
  console.log(`[sandbox] ${ message }`);
}

/** Whether host:port can be listened on right now. */
function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();

    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/**
 * Ends the builds still running (a terminal's Ctrl-C reaches them itself, a SIGTERM sent to this process
 * does not). By process id: only this process's own children.
 */
function stopChildren(): void {
  let pids: number[] = [];

  try {
    pids = execFileSync('ps', ['-o', 'pid=', '--ppid', String(process.pid)], { encoding: 'utf8' }).split('\n').map(Number).filter(Boolean);
  } catch {
    // ps exits 1 when there is no child.
  }
  pids.forEach((pid) => {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  });
}

async function choosePort(host: string): Promise<number> {
  const given = process.env.PORT;

  if (given) {
    const port = Number(given);

    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new SandboxError(`PORT=${ given } is not a port number: give one between 1 and 65535`);
    }
    if (!await portFree(port, host)) {
      throw new SandboxError(`port ${ port } on ${ host } is taken (another sandbox or another server): stop it or choose another with PORT=<port>`);
    }

    return port;
  }
  if (await portFree(DEFAULT_PORT, host)) {
    return DEFAULT_PORT;
  }
  log(`port ${ DEFAULT_PORT } is taken (another sandbox?): using a free port instead (set PORT to choose one)`);

  return 0;
}

function publicUrl(url: string, host: string): string {
  if (host !== '0.0.0.0') {
    return url;
  }
  const ip = Object.values(require('os').networkInterfaces() as Record<string, { family: string; internal: boolean; address: string }[]>)
    .flat().find((a) => a.family === 'IPv4' && !a.internal)?.address;

  return ip ? url.replace('127.0.0.1', ip) : url;
}

async function main(): Promise<void> {
  const started = Number(process.env.SANDBOX_STARTED_AT) || Date.now();
  const host = process.env.HOST || '127.0.0.1';
  const username = process.env.SANDBOX_USER || 'admin';
  const password = process.env.SANDBOX_PASSWORD || randomBytes(9).toString('base64url');
  let backend: E2eBackend | undefined;
  let cancelKube: (() => void) | undefined;
  let kubeStarted = false;
  let stopping: Promise<void> | undefined;

  const stop = (code: number) => {
    stopping ??= (async() => {
      cancelKube?.();
      stopChildren();
      await backend?.stop().catch((e) => console.error(`[sandbox] stopping the server failed: ${ e.message }`));
      if (kubeStarted || fs.existsSync(RUN_DIR)) {
        await stopKube(path.join(RUN_DIR, 'kube'), { keepLogs: code !== 0 }).catch((e) => console.error(`[sandbox] ${ e.message }`));
        if (code === 0) {
          fs.rmSync(RUN_DIR, { recursive: true, force: true });
        }
      }
      log(code === 0 ? 'stopped; nothing is left running' : `stopped (logs kept in ${ path.relative(REPO_ROOT, RUN_DIR) })`);
      process.exit(code);
    })();

    return stopping;
  };
  const onSignal = (signal: string) => {
    if (stopping) {
      log(`${ signal }: still stopping`);

      return;
    }
    log(`${ signal }: stopping`);
    stop(0);
  };

  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGHUP', () => onSignal('SIGHUP'));

  try {
    const port = await choosePort(host);
    const extension = await publishedExtension();
    const dashboard = await buildDashboard();

    log(dashboard.built ? `dashboard built in ${ dashboard.seconds } s` : 'dashboard up to date');

    log('starting the kube-apiserver and etcd');
    fs.mkdirSync(RUN_DIR, { recursive: true });
    kubeStarted = true;
    const kube = startKube(path.join(RUN_DIR, 'kube'));

    cancelKube = kube.cancel;
    process.env.KUBE_TEST_ENV = (await kube.ready).envFile;
    cancelKube = undefined;
    backend = new E2eBackend({
      kubeEnv:      readKubeEnv(),
      dashboardDir: DASHBOARD_DIR,
      port,
      host,
      extensions:   [extension],
      credentials:  { username, password },
      banners:      sandboxBannerSetting(),
      controls:     false,
    });
    const url = publicUrl(await backend.start(), host);

    if (process.env.SANDBOX_STACK === 'installed') {
      log('installing the monitoring stack (SANDBOX_STACK=installed)');
      await backend.installStack();
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const plugin = extension.uiPlugin.spec.plugin;

    console.log(`
Harvester Network Monitoring sandbox, ready in ${ seconds } s:

    ${ url }

  Log in as "${ username }" with the password "${ password }".
  The dashboard loads ${ plugin.name } ${ plugin.version } from the Helm repository in dist/repo, as Rancher does.
  Simulated: Rancher's API, Harvester, its Addon controller, DeepFlow's querier (generated flows) and Grafana;
  the Kubernetes API server is real. To install into a real Rancher, see ${ installReadmeText() }.
  Ctrl-C stops it.`);
  } catch (err) {
    if (!stopping) {
      console.error(`[sandbox] ${ err instanceof SandboxError ? '' : 'could not start: ' }${ (err as Error).message }`);
      await stop(1);
    }
  }
}

main();
