/**
 * The sandbox's login, as the dashboard uses Rancher's: a wrong password is a 401 the login page shows, the
 * right one sets the R_SESS cookie that signs later requests in, and logging out ends the session. Without
 * credentials (the browser tests) every request is signed in.
 */
import { IncomingMessage, ServerResponse } from 'http';
import { PassThrough } from 'stream';
import { Sessions } from '../../../sandbox/backend/session';

interface Sent { status: number; headers: Record<string, string>; body: unknown }

function call(sessions: Sessions, method: string, pathname: string, body: unknown, cookie = ''): { handled: boolean; sent?: Sent } {
  let sent: Sent | undefined;
  const res = new PassThrough();
  const chunks: string[] = [];

  Object.assign(res, {
    writeHead(status: number, headers: Record<string, string>) {
      sent = { status, headers, body: undefined };

      return res;
    },
    end(text?: string) {
      chunks.push(text || '');
      if (sent) {
        sent.body = JSON.parse(chunks.join(''));
      }

      return res;
    },
  });
  const req = { headers: { cookie } } as unknown as IncomingMessage;
  const handled = sessions.handle(method, pathname, JSON.stringify(body), req, res as unknown as ServerResponse);

  return { handled, sent };
}

const cookieOf = (sent?: Sent) => String(sent?.headers['set-cookie']).split(';')[0];
const signedIn = (sessions: Sessions, cookie: string) => sessions.signedIn({ headers: { cookie } } as unknown as IncomingMessage);

describe('sandbox login', () => {
  const credentials = { username: 'admin', password: 's3cret' };

  it('refuses a wrong password with 401 and signs nobody in', () => {
    const sessions = new Sessions(credentials);
    const { handled, sent } = call(sessions, 'POST', '/v1-public/login', {
      type: 'localProvider', username: 'admin', password: 'wrong', responseType: 'cookie'
    });

    expect(handled).toBe(true);
    expect(sent).toMatchObject({ status: 401, headers: { 'x-api-cattle-auth': 'false' }, body: { code: 'Unauthorized' } });
    expect(signedIn(sessions, '')).toBe(false);
    expect(signedIn(sessions, 'R_SESS=guess')).toBe(false);
  });

  it('signs in with the right password through the R_SESS cookie, until logout', () => {
    const sessions = new Sessions(credentials);
    const { sent } = call(sessions, 'POST', '/v1-public/login', {
      type: 'localProvider', username: 'admin', password: 's3cret', responseType: 'cookie'
    });

    expect(sent?.status).toBe(200);
    const cookie = cookieOf(sent);

    expect(cookie).toMatch(/^R_SESS=[0-9a-f]{48}$/);
    expect(signedIn(sessions, `other=1; ${ cookie }`)).toBe(true);
    expect(call(sessions, 'POST', '/v1/logout', {}, cookie).sent?.status).toBe(200);
    expect(signedIn(sessions, cookie)).toBe(false);
  });

  it('signs every request in without credentials', () => {
    expect(signedIn(new Sessions(), '')).toBe(true);
  });

  it('lets anonymous clients read only what the login page needs', () => {
    expect(Sessions.isPublic('GET', '/v1-public/authproviders')).toBe(true);
    expect(Sessions.isPublic('POST', '/v1-public/login')).toBe(true);
    expect(Sessions.isPublic('GET', '/v1/management.cattle.io.settings')).toBe(true);
    expect(Sessions.isPublic('GET', '/v1/uiplugins')).toBe(true);
    expect(Sessions.isPublic('PUT', '/v1/management.cattle.io.settings/ui-banners')).toBe(false);
    expect(Sessions.isPublic('GET', '/v3/users')).toBe(false);
    expect(Sessions.isPublic('GET', '/k8s/clusters/c-m-e2eharv1/v1/pods')).toBe(false);
  });

  it('leaves other paths to the server', () => {
    expect(call(new Sessions(credentials), 'GET', '/v3/users', undefined).handled).toBe(false);
  });
});
