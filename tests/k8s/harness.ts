/**
 * Shared set-up of the k8s suite: one client per test file, connected to the API server that
 * scripts/kube-apiserver.sh started. Fails (never skips) when the server is not there.
 */
import { randomBytes } from 'crypto';
import { KubeClient, readKubeEnv } from '../../sandbox/kube/client';

export async function connect(): Promise<KubeClient> {
  const client = new KubeClient(readKubeEnv());
  const ready = await client.request('GET', '/readyz');

  if (ready.status !== 200) {
    client.close();
    throw new Error(`the API server at ${ client.env.server } is not ready (GET /readyz -> ${ ready.status }): restart it with scripts/kube-apiserver.sh start`);
  }

  return client;
}

/** Polls `check` every 50 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;

  while (!(await check())) {
    if (Date.now() > until) {
      throw new Error(`${ what }: not seen within ${ timeoutMs / 1000 } s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A DNS-1123 name unique to this run: namespaces are never finalized without a controller-manager. */
export function uniqueName(prefix: string): string {
  return `${ prefix }-${ randomBytes(3).toString('hex') }`;
}

/** The PodSecurity labels of a namespace. */
export function podSecurityLabels(modes: { enforce?: string; warn?: string; audit?: string }): Record<string, string> {
  const labels: Record<string, string> = {};

  for (const [mode, level] of Object.entries(modes)) {
    if (level) {
      labels[`pod-security.kubernetes.io/${ mode }`] = level;
      labels[`pod-security.kubernetes.io/${ mode }-version`] = 'latest';
    }
  }

  return labels;
}
