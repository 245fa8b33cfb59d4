/**
 * Drives the main command as a user does: runs ./scripts/start.sh (sandbox mode) in a directory, waits for the
 * URL and login it prints, signs in through the real login page in Debian's Chromium, opens Traffic Flows,
 * and stops the command with a signal. Shared by tests/sandbox/start.test.ts and tests/bench/start-bench.ts.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as net from 'net';
import { Page } from 'playwright-core';
import { pagePath } from '../e2e/harness/browser';

export interface RunningSandbox {
  child: ChildProcess;
  url: string;
  username: string;
  password: string;
  /** Everything the command printed so far (stdout and stderr). */
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The console error of the dashboard's session check before signing in (Rancher answers it 401 too). */
export const LOGIN_PROBLEMS = [/status of 401 \(Unauthorized\) \(http:\/\/[^)]+\/v3\/users\?me=true\)/];

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();

    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;

      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections on 127.0.0.1:port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');

    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Processes whose command line mentions `text` (ps of every process), other than ps itself. */
export function processesMentioning(text: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n')
    .filter((line) => line.includes(text) && !/^\s*\d+\s+ps\s/.test(line));
}

/** Starts ./scripts/start.sh in `cwd` (its own process group) with extra environment. */
export function runStartCommand(cwd: string, env: Record<string, string>): { child: ChildProcess; output: () => string; exited: RunningSandbox['exited'] } {
  const child = spawn('./scripts/start.sh', [], {
    cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true
  });
  let text = '';

  child.stdout?.on('data', (chunk) => {
    text += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    text += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  return { child, output: () => text, exited };
}

/** Runs the command and resolves once it printed its URL and login; rejects if it ends first or times out. */
export async function startSandbox(cwd: string, env: Record<string, string>, timeoutMs: number): Promise<RunningSandbox> {
  const run = runStartCommand(cwd, env);
  const deadline = Date.now() + timeoutMs;
  let ended = false;

  run.exited.then(() => {
    ended = true;
  });
  for (;;) {
    const text = run.output();
    const url = /sandbox, ready in [\d.]+ s:\s+(http:\/\/\S+)/.exec(text)?.[1];
    const login = /Log in as "([^"]+)" with the password "([^"]+)"/.exec(text);

    if (url && login) {
      return {
        ...run, url, username: login[1], password: login[2]
      };
    }
    if (ended || Date.now() > deadline) {
      run.child.kill('SIGTERM');
      throw new Error(`./scripts/start.sh ${ ended ? 'ended' : `printed no URL within ${ timeoutMs / 1000 } s` }; its output:\n${ text.slice(-4000) }`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Signs in on the dashboard's login page (where an unauthenticated visit lands). Before that, the dashboard's
 * check of the session is answered 401, as Rancher answers it: LOGIN_PROBLEMS matches that console error.
 */
export async function logIn(page: Page, username: string, password: string): Promise<void> {
  // The shell's LabeledInput puts the test id on the <input> itself, a wrapper may carry it too.
  const input = (id: string) => page.locator(`input[data-testid="${ id }"], [data-testid="${ id }"] input`).first();

  await page.goto('/');
  await input('local-login-username').fill(username);
  await input('local-login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/auth/'), { timeout: 60000 });
}

/** Opens Traffic Flows from the Harvester navigation and resolves once the map, talkers and records show data. */
export async function openTrafficFlows(page: Page): Promise<void> {
  await page.goto(pagePath());
  await page.locator('nav').getByRole('link', { name: 'Traffic Flows', exact: true }).click({ timeout: 120000 });
  await Promise.all([
    page.locator('[data-testid="map-canvas"][aria-label]').waitFor({ timeout: 120000 }),
    page.locator('[data-testid="talkers-table-list-container"] tr.main-row').first().waitFor({ timeout: 120000 }),
    page.locator('[data-testid="records-table-list-container"] tr.main-row').first().waitFor({ timeout: 120000 }),
  ]);
}
