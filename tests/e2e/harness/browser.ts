/**
 * A scenario's browser: Debian's Chromium driven by playwright-core, on a fresh profile, allowed to
 * reach only the local backend. Everything that would be a problem for a user is collected:
 * uncaught page errors, console errors and requests that tried to leave the machine.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  Browser, BrowserContext, Page, chromium
} from 'playwright-core';
import { CLUSTER_ID } from '../../../sandbox/backend/seed/constants';
import { SCREENSHOTS_DIR } from './paths';

const CHROMIUM = '/usr/bin/chromium';
/** Without the background-networking flags Chromium keeps trying hosts this closed network refuses. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Session {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Uncaught errors, console errors and blocked requests, in order. */
  problems: string[];
  base: string;
}

export function backendUrl(): string {
  const url = process.env.E2E_URL;

  if (!url) {
    throw new Error('E2E_URL is not set: run the e2e tests with scripts/e2e.sh (tests/e2e/run.ts starts the backend)');
  }

  return url;
}

/** Path of one of our pages in the seeded Harvester cluster ('' is the Overview). */
export function pagePath(page = ''): string {
  return `/harvester/c/${ CLUSTER_ID }/network-monitoring${ page ? `/${ page }` : '' }`;
}

export function vmPath(namespace: string, name: string): string {
  return `/harvester/c/${ CLUSTER_ID }/kubevirt.io.virtualmachine/${ encodeURIComponent(namespace) }/${ encodeURIComponent(name) }`;
}

/**
 * Where the browser's throwaway profile is made: in memory when the machine has /dev/shm (playwright-core 1.64.1
 * makes it under os.tmpdir() at launch, lib/coreBundle.js `playwright_${name}dev_profile-`). A new profile writes
 * ~28 MB of databases while its first pages load; on this VM the kernel's writeback of them took ~1 s of CPU, in
 * about half of the scale benchmark's runs, while the measured page loaded (tests/bench/scale-bench.ts).
 */
function profileParent(): string | undefined {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);

    return '/dev/shm';
  } catch {
    return undefined;
  }
}

async function launchBrowser(): Promise<Browser> {
  const parent = profileParent();
  const tmpdir = process.env.TMPDIR;

  if (parent) {
    process.env.TMPDIR = parent;
  }
  try {
    return await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  } finally {
    if (tmpdir === undefined) {
      delete process.env.TMPDIR;
    } else {
      process.env.TMPDIR = tmpdir;
    }
  }
}

export async function openSession(): Promise<Session> {
  const base = backendUrl();
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: base });
  const problems: string[] = [];

  // The dashboard checks Rancher's update feed once a day; a browser that already checked today skips it.
  await context.addInitScript(() => window.localStorage.setItem('rancher-updates-fetch-next', '2999-01-01'));
  await context.route((url) => url.origin !== base, (route) => {
    problems.push(`request left the machine: ${ route.request().url() }`);

    return route.abort();
  });
  const page = await context.newPage();

  page.on('pageerror', (e) => problems.push(`uncaught: ${ e.stack || e.message }`));
  page.on('console', (m) => {
    if (m.type() === 'error') {
      // Chromium's "Failed to load resource" names no address; the message's location does.
      problems.push(`console.error: ${ m.text() }${ m.location()?.url ? ` (${ m.location().url })` : '' }`);
    }
  });

  return {
    browser, context, page, problems, base
  };
}

/**
 * Problems since the last call, other than the expected ones (e.g. the 503 a probe of an
 * unreachable Grafana logs). Taking them clears the list, so one test's problems fail only that test.
 */
export function unexpectedProblems(session: Session, expected: RegExp[] = []): string[] {
  return session.problems.splice(0).filter((p) => !expected.some((e) => e.test(p)));
}

export async function screenshot(session: Session, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await session.page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${ name }.png`), fullPage: true });
}

/** The backend's test controls (`/__e2e/...`). */
export async function control<T = any>(method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${ backendUrl() }/__e2e/${ route }`, {
    method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body)
  });

  if (!response.ok) {
    throw new Error(`control ${ method } ${ route } answered ${ response.status }: ${ await response.text() }`);
  }

  return response.json() as Promise<T>;
}

export function setStackInstalled(installed: boolean): Promise<unknown> {
  return control('POST', 'stack', { installed });
}

export async function closeSession(session: Session | undefined): Promise<void> {
  await session?.browser.close();
}

/** Retries an assertion until it passes or `timeoutMs` runs out: the page updates asynchronously. */
export async function eventually(assertion: () => Promise<void> | void, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;

  for (;;) {
    try {
      return await assertion();
    } catch (err) {
      if (Date.now() > deadline) {
        throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
