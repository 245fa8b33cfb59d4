/**
 * A Kubernetes watch stream (`?watch=1`) from the real API server: newline-delimited JSON events,
 * delivered one by one until stopped or the server ends the stream.
 */
import { readFileSync } from 'fs';
import { request } from 'https';
import { KubeEnv } from '../kube/client';

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: any;
}

export function watchKube(env: KubeEnv, path: string, resourceVersion: string | undefined, onEvent: (event: WatchEvent) => void, onEnd: (error?: Error) => void): () => void {
  const url = new URL(path, env.server);

  url.searchParams.set('watch', '1');
  url.searchParams.set('allowWatchBookmarks', 'false');
  if (resourceVersion) {
    url.searchParams.set('resourceVersion', resourceVersion);
  }
  let ended = false;
  const end = (error?: Error) => {
    if (!ended) {
      ended = true;
      onEnd(error);
    }
  };
  const req = request(url, { ca: readFileSync(env.caFile), headers: { Authorization: `Bearer ${ env.token }`, Accept: 'application/json' } }, (res) => {
    if (res.statusCode !== 200) {
      res.resume();
      end(new Error(`watch ${ path } answered ${ res.statusCode }`));

      return;
    }
    let buffered = '';

    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');

      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();

        buffered = buffered.slice(newline + 1);
        if (line) {
          onEvent(JSON.parse(line));
        }
        newline = buffered.indexOf('\n');
      }
    });
    res.on('end', () => end());
    res.on('error', (e) => end(e));
  });

  req.on('error', (e) => end(e));
  req.end();

  return () => {
    ended = true;
    req.destroy();
  };
}
