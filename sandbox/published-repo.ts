/**
 * The Helm repository the main command serves and the sandbox loads the extension from: scripts/publish-repo.sh
 * into dist/repo, redone only when its inputs changed (a fingerprint of their contents, kept beside the output).
 * A lock file keeps two commands (the sandbox and the browser tests, say) from publishing into it at once.
 *
 *   node --require ./sandbox/register.js sandbox/published-repo.ts   publish if needed, print the directory
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PublishedExtension, loadPublishedExtension } from './backend/ui-plugins';
import { inputFingerprint } from './dashboard/build';
import { REPO_ROOT } from './paths';

export const PUBLISHED_REPO_DIR = path.join(REPO_ROOT, 'dist/repo');
export const EXTENSION_PKG = 'harvester-network-monitoring';

const FINGERPRINT_FILE = path.join(PUBLISHED_REPO_DIR, '.inputs-fingerprint');
const LOCK_FILE = path.join(REPO_ROOT, 'dist/.repo.lock');

/** What publish-repo.sh copies and builds from (node_modules is pinned by yarn.lock). */
const INPUTS = [
  `pkg/${ EXTENSION_PKG }`,
  'charts/harvester-network-monitoring-stack',
  'scripts/publish-repo.sh',
  'package.json',
  'yarn.lock',
  '.yarnrc',
  'babel.config.js',
  'vue.config.js',
  'tsconfig.json',
];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);

    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs fn holding the lock file (a stale lock of a dead process is taken over). */
async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(LOCK_FILE), { recursive: true });
  let announced = false;

  for (;;) {
    try {
      fs.writeFileSync(LOCK_FILE, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw e;
      }
      const holder = Number(fs.readFileSync(LOCK_FILE, 'utf8'));

      if (!holder || !alive(holder)) {
        fs.rmSync(LOCK_FILE, { force: true });
        continue;
      }
      if (!announced) {
        console.log(`waiting for process ${ holder }, which is publishing ${ path.relative(REPO_ROOT, PUBLISHED_REPO_DIR) }`);
        announced = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(LOCK_FILE, { force: true });
  }
}

function publish(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(REPO_ROOT, 'scripts/publish-repo.sh'), [PUBLISHED_REPO_DIR], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });

    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`scripts/publish-repo.sh ${ PUBLISHED_REPO_DIR } failed (${ signal || code }): see its output above`))));
  });
}

/** Publishes dist/repo unless it was published from the current inputs. */
export function ensurePublishedRepo(): Promise<{ published: boolean; seconds: number }> {
  return withLock(async() => {
    const started = Date.now();
    const fingerprint = inputFingerprint(INPUTS);
    const current = fs.existsSync(path.join(PUBLISHED_REPO_DIR, 'index.yaml')) && fs.existsSync(FINGERPRINT_FILE) &&
      fs.readFileSync(FINGERPRINT_FILE, 'utf8') === fingerprint;

    if (current) {
      return { published: false, seconds: 0 };
    }
    await publish();
    fs.writeFileSync(FINGERPRINT_FILE, fingerprint);

    return { published: true, seconds: Math.round((Date.now() - started) / 1000) };
  });
}

/** The extension as the sandbox backend serves it, from the repository published if needed. */
export async function publishedExtension(): Promise<PublishedExtension> {
  const repo = await ensurePublishedRepo();

  console.log(repo.published ? `Helm repository published in ${ repo.seconds } s (${ path.relative(REPO_ROOT, PUBLISHED_REPO_DIR) })` : `Helm repository up to date (${ path.relative(REPO_ROOT, PUBLISHED_REPO_DIR) })`);

  // The helm scripts/setup.sh builds, whether or not .tools/bin is on the caller's PATH.
  const helm = path.join(REPO_ROOT, '.tools/bin/helm');

  return loadPublishedExtension(PUBLISHED_REPO_DIR, EXTENSION_PKG, fs.existsSync(helm) ? helm : 'helm');
}

if (require.main === module) {
  ensurePublishedRepo().then(({ published, seconds }) => {
    console.log(published ? `Helm repository published in ${ seconds } s into ${ PUBLISHED_REPO_DIR }` : `Helm repository up to date in ${ PUBLISHED_REPO_DIR }`);
  }, (err) => {
    console.error(err.message);
    process.exit(1);
  });
}
