import {
  AGENT_STATE_PROXY, ControllerFetch, agentStateUrl, exceptionBits, interpretControllerAnswer, loadControllerAgents, parseControllerAgents
} from '@pkg/domain/agents/controller-agents';
import { vtap, vtapListAnswer } from '../../../sandbox/backend/deepflow-controller';

const wire = (data: unknown) => JSON.stringify({ OPT_STATUS: 'SUCCESS', DESCRIPTION: '', DATA: data });

describe('the agent-state proxy location', () => {
  it('is port 20419 of hnm-server, path /v1/vtaps/, through the service proxy', () => {
    expect(agentStateUrl('c-m-abc12')).toBe('/k8s/clusters/c-m-abc12/api/v1/namespaces/harvester-network-monitoring/services/http:hnm-server:20419/proxy/v1/vtaps/');
    expect(agentStateUrl('local')).toBe('/api/v1/namespaces/harvester-network-monitoring/services/http:hnm-server:20419/proxy/v1/vtaps/');
    expect(agentStateUrl('bad/../id')).toBeNull();
    expect(AGENT_STATE_PROXY).toMatchObject({ port: 20419, portName: 'agent-state', path: '/v1/vtaps/', controllerPort: 20417 });
  });
});

describe('exception bits', () => {
  it('splits a mask into its powers of two, lowest first, up to 2^52', () => {
    expect(exceptionBits(0)).toEqual([]);
    expect(exceptionBits(64)).toEqual([64]);
    expect(exceptionBits(1 + 64 + 32768)).toEqual([1, 64, 32768]);
    expect(exceptionBits(0x400000000 + 0x40000000)).toEqual([0x40000000, 0x400000000]);
    expect(exceptionBits(2 ** 52)).toEqual([2 ** 52]);
    [-1, 1.5, NaN, Infinity, 2 ** 53].forEach((v) => expect(exceptionBits(v)).toEqual([]));
  });
});

describe('parsing GET /v1/vtaps/ (DeepFlow 7.1.8 model.Vtap in response.RawResponse)', () => {
  it('reads name, ID, state and exception values from the full DeepFlow shape', () => {
    const r = parseControllerAgents(JSON.stringify(vtapListAnswer([
      { name: 'harvester-node-0-P1', ip: '192.168.10.11' },
      {
        name: 'harvester-node-2-P3', ip: '192.168.10.13', state: 0, exceptions: 64 + 65536
      },
    ])));

    expect(r).toEqual({
      state:  'ok',
      agents: [
        {
          id: 1, name: 'harvester-node-0-P1', state: 1, exceptions: [], ctrlIp: '192.168.10.11', launchServer: '192.168.10.11'
        },
        {
          id: 2, name: 'harvester-node-2-P3', state: 0, exceptions: [64, 65536], ctrlIp: '192.168.10.13', launchServer: '192.168.10.13'
        },
      ],
    });
  });

  it('an empty list is DATA null (a nil slice in Go)', () => {
    expect(JSON.parse(JSON.stringify(vtapListAnswer([]))).DATA).toBeNull();
    expect(parseControllerAgents(JSON.stringify(vtapListAnswer([])))).toEqual({ state: 'ok', agents: [] });
  });

  it('skips entries of the wrong shape and splits exception values that are not single bits', () => {
    const good = vtap({ name: 'n-P1', ip: '10.0.0.1' }, 0);
    const r = parseControllerAgents(wire([
      null, 'x', 7, {}, { ...good, NAME: '' }, { ...good, ID: '1' }, { ...good, STATE: 1.5 }, { ...good, NAME: 42 },
      { ...good, EXCEPTIONS: [3, 'x', -4, 64, 64, null, 2 ** 60] },
      { ...good, EXCEPTIONS: 'boom' },
    ]));

    expect(r.state === 'ok' && r.agents.map((a) => a.exceptions)).toEqual([[1, 2, 64], []]);
  });

  it('keeps hostile names as plain data and cleans the texts it shows', () => {
    const r = parseControllerAgents(wire([{
      ...vtap({ name: '<img src=x onerror=alert(1)>-P1', ip: '1.2.3.4' }, 0), CTRL_IP: '1.2.3.4\u202e\n<b>', LAUNCH_SERVER: 'x'.repeat(500)
    }]));

    expect(r.state === 'ok' && r.agents[0]).toMatchObject({ name: '<img src=x onerror=alert(1)>-P1', ctrlIp: '1.2.3.4 <b>' });
    expect(r.state === 'ok' && r.agents[0].launchServer.length).toBeLessThanOrEqual(64);
  });

  it('reports a failed or foreign answer as unknown: bad-response with DeepFlow\'s description', () => {
    expect(parseControllerAgents(JSON.stringify({ OPT_STATUS: 'FAIL', DESCRIPTION: 'Error 1045: Access denied', DATA: null }))).toEqual({
      state: 'unknown', reason: 'bad-response', detail: 'Error 1045: Access denied'
    });
    expect(parseControllerAgents('<html>hi</html>')).toMatchObject({ state: 'unknown', reason: 'bad-response', detail: '<html>hi</html>' });
    expect(parseControllerAgents(wire({ a: 1 }))).toMatchObject({ state: 'unknown', reason: 'bad-response' });
    expect(parseControllerAgents('[]')).toMatchObject({ state: 'unknown', reason: 'bad-response' });
  });
});

describe('what an HTTP answer means', () => {
  const status = (s: number, text = '') => {
    const r = interpretControllerAnswer(s, text);

    return r.state === 'unknown' ? r.reason : r.state;
  };
  const kube = (code: number, message: string) => JSON.stringify({
    kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code
  });

  it('maps each failure to a reason', () => {
    expect(status(200, wire([]))).toBe('ok');
    expect(status(401)).toBe('forbidden');
    expect(status(403, kube(403, 'services "hnm-server" is forbidden: User "u" cannot get resource "services/proxy"'))).toBe('forbidden');
    expect(status(404, 'not found: this port serves only GET /v1/vtaps/\n')).toBe('not-found');
    expect(status(503, kube(503, 'no service port 20419 found for service "hnm-server"'))).toBe('proxy-missing');
    expect(status(503, kube(503, 'no endpoints available for service "hnm-server"'))).toBe('unreachable');
    expect(status(502, '<html>502 Bad Gateway</html>')).toBe('controller-down');
    expect(status(504)).toBe('controller-down');
    expect(status(500)).toBe('server-error');
    expect(status(405)).toBe('bad-response');
  });

  it('keeps the API server\'s message as short plain text', () => {
    expect(interpretControllerAnswer(503, kube(503, 'error trying to reach service: dial tcp 10.52.0.210:20419: i/o timeout'))).toEqual({
      state: 'unknown', reason: 'unreachable', status: 503, detail: 'error trying to reach service: dial tcp 10.52.0.210:20419: i/o timeout'
    });
    const long = interpretControllerAnswer(500, 'y'.repeat(1000));

    expect(long.state === 'unknown' && long.detail!.length).toBeLessThanOrEqual(200);
  });
});

describe('loading the list', () => {
  it('GETs the proxy URL with the session cookie and reads the answer', async() => {
    const calls: [string, any][] = [];
    const fetchFn: ControllerFetch = async(url, init) => {
      calls.push([url, init]);

      return { status: 200, text: async() => wire([vtap({ name: 'a-P1', ip: '1.1.1.1', exceptions: 8192 }, 0)]) };
    };
    const r = await loadControllerAgents(fetchFn, 'c-1');

    expect(calls.map(([u, i]) => [u, i.method, i.credentials, i.headers])).toEqual([[
      '/k8s/clusters/c-1/api/v1/namespaces/harvester-network-monitoring/services/http:hnm-server:20419/proxy/v1/vtaps/', 'GET', 'same-origin', { Accept: 'application/json' }
    ]]);
    expect(r.state === 'ok' && r.agents[0].exceptions).toEqual([8192]);
  });

  it('never rejects: a failed request, a timeout, an abort and a bad cluster id each resolve', async() => {
    const failing: ControllerFetch = async() => {
      throw new TypeError('Failed to fetch');
    };
    const hanging: ControllerFetch = (_url, init) => new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => reject(new Error('aborted'))));

    expect(await loadControllerAgents(failing, 'c-1')).toEqual({ state: 'unknown', reason: 'network', detail: 'Failed to fetch' });
    expect(await loadControllerAgents(hanging, 'c-1', { timeoutMs: 10 })).toEqual({ state: 'unknown', reason: 'timeout' });
    const outer = new AbortController();
    const pending = loadControllerAgents(hanging, 'c-1', { signal: outer.signal });

    outer.abort();
    expect(await pending).toEqual({ state: 'loading' });
    expect(await loadControllerAgents(failing, 'a b')).toEqual({ state: 'unknown', reason: 'location' });
  });
});
