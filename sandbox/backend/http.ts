import { IncomingMessage, ServerResponse } from 'http';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: any };

const MAX_BODY = 5 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;

    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();

        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);

  res.writeHead(status, {
    'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text), ...headers
  });
  res.end(text);
}

/** Items serialized between two turns of the event loop by sendJsonList. */
const LIST_BATCH = 250;

/**
 * Sends `body` (whose last field is `data: []`) with `items` as its data, a batch at a time, letting the sandbox's
 * other requests in between: Rancher answers requests side by side, and a small list is not held up there while
 * thousands of pods are written.
 */
export async function sendJsonList<T>(res: ServerResponse, body: { data: unknown[] } & Record<string, unknown>, items: readonly T[], toJson: (item: T) => unknown): Promise<void> {
  const head = JSON.stringify(body);

  if (!head.endsWith('"data":[]}')) {
    throw new Error('sendJsonList: the body must end with an empty data field');
  }
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.write(head.slice(0, -2));
  for (let i = 0; i < items.length; i += LIST_BATCH) {
    if (i > 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const batch = items.slice(i, i + LIST_BATCH).map((item) => JSON.stringify(toJson(item))).join(',');

    res.write(i > 0 ? `,${ batch }` : batch);
  }
  res.end(']}');
}

export function sendText(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A Kubernetes `Status` failure, as the API server (and Rancher's proxy in front of it) sends it. */
export function kubeStatus(code: number, reason: string, message: string): JsonObject {
  return {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code
  };
}

export function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** A shallow copy of `object` without `keys` (fields a server drops before it stores or forwards an object). */
export function withoutKeys(object: JsonObject, keys: readonly string[]): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
