/**
 * The main command on a fresh copy of the repository (what `git clone` of this work tree gives: the tracked and
 * the untracked-but-not-ignored files): ./scripts/start.sh starts the sandbox and prints one URL and a login;
 * Debian's Chromium signs in on the real login page, sees the sandbox banner, and reaches Traffic Flows with
 * data, the extension loaded from the published UMD bundle; SIGTERM stops it and no process or port is left.
 * A second command on the same port says the port is taken.
 *
 * node_modules, .tools and dist are linked from this work tree so the copy skips the setup and builds a CI
 * clone does itself (their caches are keyed by the sources' contents, so the copy reuses them only when equal).
 *
 *   flock /tmp/hnm-cluster.lock node --require ./sandbox/register.js --test tests/sandbox/start.test.ts
 */
import { after, before, describe, it } from 'node:test';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import expect from 'expect';
import { REPO_ROOT } from '../../sandbox/paths';
import {
  Session, closeSession, openSession, screenshot, unexpectedProblems
} from '../e2e/harness/browser';
import {
  LOGIN_PROBLEMS, RunningSandbox, freePort, listening, logIn, openTrafficFlows, processesMentioning, runStartCommand, startSandbox
} from './sandbox-process';

const SHARED = ['node_modules', '.tools', 'dist'];
const PKG = require('../../pkg/harvester-network-monitoring/package.json');

/** The files a clone has: tracked and untracked-not-ignored ones that exist in the work tree. */
function copyRepository(to: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' })
    .split('\0').filter(Boolean);

  for (const file of new Set(files)) {
    const from = path.join(REPO_ROOT, file);
    const stat = fs.existsSync(from) ? fs.lstatSync(from) : undefined;

    if (!stat || stat.isDirectory()) {
      continue;
    }
    fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    if (stat.isSymbolicLink()) {
      fs.symlinkSync(fs.readlinkSync(from), path.join(to, file));
    } else {
      fs.copyFileSync(from, path.join(to, file));
      fs.chmodSync(path.join(to, file), stat.mode);
    }
  }
  SHARED.forEach((dir) => fs.symlinkSync(path.join(REPO_ROOT, dir), path.join(to, dir)));
}

describe('./scripts/start.sh: the sandbox', () => {
  let clone = '';
  let port = 0;
  let sandbox: RunningSandbox | undefined;
  let session: Session | undefined;
  /** Ports of the kube-apiserver and etcd of this sandbox, read while it runs. */
  const kubePorts: number[] = [];

  before(async() => {
    clone = fs.mkdtempSync(path.join(os.tmpdir(), 'hnm-clone-'));
    copyRepository(clone);
    port = await freePort();
    sandbox = await startSandbox(clone, { PORT: String(port), SANDBOX_STACK: 'installed' }, 20 * 60_000);
  });

  after(async() => {
    await closeSession(session);
    if (sandbox && sandbox.child.exitCode === null && sandbox.child.signalCode === null) {
      sandbox.child.kill('SIGTERM');
      await sandbox.exited;
    }
    fs.rmSync(clone, { recursive: true, force: true });
  });

  it('prints one URL on the chosen port and a login', () => {
    expect(sandbox!.url).toBe(`http://127.0.0.1:${ port }`);
    expect(sandbox!.output().match(/http:\/\/127\.0\.0\.1:\d+/g)).toEqual([sandbox!.url]);
    expect(sandbox!.username).toBe('admin');
    expect(sandbox!.password.length).toBeGreaterThanOrEqual(12);
  });

  it('says clearly that the port is taken when a second command asks for it', async() => {
    const second = runStartCommand(clone, { PORT: String(port) });
    const { code } = await second.exited;

    expect(code).not.toBe(0);
    expect(second.output()).toContain(`port ${ port } on 127.0.0.1 is taken`);
  });

  it('signs in, shows the sandbox banner and reaches Traffic Flows with data from the published bundle', async() => {
    process.env.E2E_URL = sandbox!.url;
    session = await openSession();
    const { page } = session;
    const bundles: string[] = [];

    page.on('request', (r) => {
      if (r.url().includes('/v1/uiplugins/')) {
        bundles.push(new URL(r.url()).pathname);
      }
    });
    await logIn(page, sandbox!.username, sandbox!.password);
    expect(unexpectedProblems(session, LOGIN_PROBLEMS)).toEqual([]);
    await openTrafficFlows(page);
    await screenshot(session, 'sandbox-traffic-flows');
    const banner = page.locator('#banner-header');

    await expect(banner.innerText()).resolves.toMatch(/Sandbox: real Kubernetes API server;.*stand-ins/);
    await expect(banner.innerText()).resolves.toContain('Install into Rancher');
    expect(bundles).toContain(`/v1/uiplugins/${ PKG.name }/${ PKG.version }/plugin/${ PKG.name }-${ PKG.version }.umd.min.js`);
    expect(unexpectedProblems(session)).toEqual([]);
  });

  it('lists the extension as installed on Rancher\'s Extensions page, not the error page', async() => {
    const { page } = session!;

    await page.goto('/c/local/uiplugins');
    // The installed extension's card, from the UIPlugin and the published repository's index.
    await page.getByText('Harvester Network Monitoring', { exact: true }).first().waitFor({ timeout: 60000 });
    await screenshot(session!, 'sandbox-extensions');
    expect(page.url()).not.toContain('fail-whale');
    expect(unexpectedProblems(session!)).toEqual([]);
  });

  it('stops on SIGTERM with a browser still connected and leaves no process and no listening port behind', async() => {
    const runDir = path.join(clone, 'tmp/sandbox');
    const kube = processesMentioning(runDir);

    // kube-apiserver's --secure-port and etcd's client and peer URLs.
    kube.join(' ').replace(/(?:--secure-port |127\.0\.0\.1:)(\d+)/g, (_, p) => {
      kubePorts.push(Number(p));

      return '';
    });
    expect(kube.length).toBe(2);
    expect(kubePorts.length).toBeGreaterThanOrEqual(3);
    // The browser stays open, its websockets connected, as a user's would.
    sandbox!.child.kill('SIGTERM');
    const { code } = await sandbox!.exited;

    await closeSession(session);
    session = undefined;

    expect(code).toBe(0);
    expect(sandbox!.output()).toContain('nothing is left running');
    expect(processesMentioning(clone)).toEqual([]);
    for (const p of [port, ...kubePorts]) {
      expect({ port: p, listening: await listening(p) }).toEqual({ port: p, listening: false });
    }
    expect(fs.existsSync(runDir) ? fs.readdirSync(runDir) : []).toEqual([]);
  });
});
