/**
 * Time from the main command to a usable page, on a machine where the setup already ran: runs
 * ./scripts/start.sh (sandbox, stack installed) in this work tree, waits for its URL, signs in with Debian's
 * Chromium and opens Traffic Flows until it shows data; prints the seconds of each step (the goal is under a
 * minute), asserts nothing, then stops the command with SIGTERM. Run by scripts/bench.sh.
 */
import { closeSession, openSession } from '../e2e/harness/browser';
import { REPO_ROOT } from '../../sandbox/paths';
import {
  freePort, logIn, openTrafficFlows, startSandbox
} from '../sandbox/sandbox-process';

async function main(): Promise<void> {
  const started = performance.now();
  const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(1);
  const sandbox = await startSandbox(REPO_ROOT, { PORT: String(await freePort()), SANDBOX_STACK: 'installed' }, 20 * 60_000);
  const printed = seconds(started);

  process.env.E2E_URL = sandbox.url;
  const session = await openSession();

  try {
    const browserStart = performance.now();

    await logIn(session.page, sandbox.username, sandbox.password);
    await openTrafficFlows(session.page);
    console.log(`start.sh to a usable Traffic Flows page: ${ seconds(started) } s (URL printed after ${ printed } s, ` +
      `sign-in and Traffic Flows with data ${ seconds(browserStart) } s; goal < 60 s)`);
  } finally {
    await closeSession(session);
    sandbox.child.kill('SIGTERM');
    const { code } = await sandbox.exited;

    console.log(`start.sh stopped on SIGTERM with status ${ code }`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
