/**
 * Rancher's local login, as the dashboard uses it (@rancher/shell 3.0.8): store/auth.js `login` posts
 * {type: 'localProvider', username, password, responseType: 'cookie'} to /v1-public/login and only looks at the
 * status (401: wrong credentials); the session is the R_SESS cookie; `logout` posts to /v1/logout. Every API
 * answer carries `x-api-cattle-auth` (plugins/steve/actions.js), and the router's authentication guard
 * (config/router/navigation-guards/authentication.js) sends the browser to the login page when it is 'false'.
 *
 * Without credentials (the browser tests) every request is signed in as the seeded admin.
 */
import { randomBytes, timingSafeEqual } from 'crypto';
import { IncomingMessage, ServerResponse } from 'http';
import { isRecord, parseJson, sendJson } from './http';

export interface Credentials { username: string; password: string }

const COOKIE = 'R_SESS';

/** What an anonymous client may read: the login page's needs, as Rancher serves them without a session. */
const PUBLIC_PATHS = [/^\/v1-public\//, /^\/v3-public\//, /^\/rancherversion$/, /^\/v1\/management\.cattle\.io\.settings(\/|$)/, /^\/v1\/uiplugins(\/|$)/];

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);

  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  return (req.headers.cookie || '').split(';').map((c) => c.trim().split('=')).find(([k]) => k === name)?.[1];
}

export class Sessions {
  private readonly tokens = new Set<string>();

  constructor(private readonly credentials?: Credentials) {}

  /** Whether the request belongs to a signed-in user. */
  signedIn(req: IncomingMessage): boolean {
    if (!this.credentials) {
      return true;
    }
    const token = cookieValue(req, COOKIE);

    return !!token && this.tokens.has(token);
  }

  /** Whether an API path may be answered without a session. */
  static isPublic(method: string, pathname: string): boolean {
    return PUBLIC_PATHS.some((p) => p.test(pathname)) && (method === 'GET' || pathname.startsWith('/v1-public/'));
  }

  /** /v1-public/login and /v1/logout; false for any other path. */
  handle(method: string, pathname: string, body: string, req: IncomingMessage, res: ServerResponse): boolean {
    if (pathname === '/v1-public/login' && method === 'POST') {
      const form = parseJson(body);
      const ok = !this.credentials || (isRecord(form) && typeof form.username === 'string' && typeof form.password === 'string' &&
        sameText(form.username, this.credentials.username) && sameText(form.password, this.credentials.password));

      if (!ok) {
        sendJson(res, 401, {
          type: 'error', status: 401, code: 'Unauthorized', message: 'authentication failed: wrong username or password'
        }, { 'x-api-cattle-auth': 'false' });

        return true;
      }
      const token = randomBytes(24).toString('hex');

      this.tokens.add(token);
      sendJson(res, 200, {}, { 'set-cookie': `${ COOKIE }=${ token }; Path=/; HttpOnly; SameSite=Lax`, 'x-api-cattle-auth': 'true' });

      return true;
    }
    if (pathname === '/v1/logout' && method === 'POST') {
      const token = cookieValue(req, COOKIE);

      if (token) {
        this.tokens.delete(token);
      }
      sendJson(res, 200, {}, { 'set-cookie': `${ COOKIE }=; Path=/; Max-Age=0`, 'x-api-cattle-auth': 'false' });

      return true;
    }

    return false;
  }
}
