import {
  FrameInputs, backoffDelay, createRetrySchedule, frameState, shouldRetry
} from '@pkg/domain/grafana/state';

const ok = { status: 200 };
const ready: FrameInputs = {
  stackInstalled: true, grafanaReady: true, health: ok, dashboard: ok
};

describe('frameState', () => {
  it('is ready when Grafana is healthy and the dashboard exists', () => {
    expect(frameState(ready)).toEqual({ state: 'ready' });
  });

  it('is not-installed without the stack, whatever the probes say', () => {
    expect(frameState({ ...ready, stackInstalled: false })).toEqual({ state: 'not-installed' });
  });

  it('is starting while Grafana\'s pods are not ready', () => {
    expect(frameState({ stackInstalled: true, grafanaReady: false })).toEqual({ state: 'starting' });
    expect(frameState({ stackInstalled: true, grafanaReady: false, health: { status: 503 } })).toEqual({ state: 'starting' });
  });

  it('trusts a healthy probe over a stale "not ready" pod status', () => {
    expect(frameState({ ...ready, grafanaReady: false })).toEqual({ state: 'ready' });
  });

  it('is checking until both probes answered', () => {
    expect(frameState({ stackInstalled: true, grafanaReady: true })).toEqual({ state: 'checking' });
    expect(frameState({ stackInstalled: true, health: ok })).toEqual({ state: 'checking' });
  });

  it.each([
    [{ status: 403 }, { state: 'unreachable', cause: 'rbac-forbidden', status: 403 }],
    [{ status: 401 }, { state: 'unreachable', cause: 'rbac-forbidden', status: 401 }],
    [{ status: 404 }, { state: 'not-installed' }],
    [{ status: 503, message: 'no endpoints available for service "http:grafana:80"' }, { state: 'starting' }],
    [{ status: 503, message: 'error trying to reach service: dial tcp 10.52.0.9:3000: i/o timeout' }, { state: 'unreachable', cause: 'network-policy', status: 503 }],
    [{ status: 502, message: '' }, { state: 'unreachable', cause: 'network-policy', status: 502 }],
    [{ status: 0, message: 'Failed to fetch' }, { state: 'unreachable', cause: 'unknown', status: 0 }],
    [{ status: 0, timedOut: true }, { state: 'unreachable', cause: 'network-policy', status: 0 }],
    [{ status: 500 }, { state: 'unreachable', cause: 'unknown', status: 500 }],
    [{ status: 302 }, { state: 'unreachable', cause: 'unknown', status: 302 }],
  ])('classifies a health probe %p with Grafana ready as %p', (health, expected) => {
    expect(frameState({ stackInstalled: true, grafanaReady: true, health })).toEqual(expected);
  });

  it('cannot blame a NetworkPolicy when pod readiness is unknown', () => {
    expect(frameState({ stackInstalled: true, health: { status: 502 } })).toEqual({ state: 'unreachable', cause: 'unknown', status: 502 });
    expect(frameState({ stackInstalled: true, health: { status: 503, message: 'dial tcp: connection timed out' } }))
      .toEqual({ state: 'unreachable', cause: 'network-policy', status: 503 });
    expect(frameState({ stackInstalled: true, health: { status: 503, message: 'dial tcp 10.0.0.1:3000: connect: connection refused' } }))
      .toEqual({ state: 'starting' });
  });

  it.each([
    [{ status: 404 }, { state: 'dashboard-missing' }],
    [{ status: 401 }, { state: 'unreachable', cause: 'grafana-auth', status: 401 }],
    [{ status: 403 }, { state: 'unreachable', cause: 'grafana-auth', status: 403 }],
    [{ status: 503, message: 'no endpoints available' }, { state: 'starting' }],
    [{ status: 500 }, { state: 'unreachable', cause: 'unknown', status: 500 }],
  ])('classifies a dashboard probe %p as %p', (dashboard, expected) => {
    expect(frameState({ ...ready, dashboard })).toEqual(expected);
  });
});

describe('shouldRetry', () => {
  it.each([
    ['not-installed', false], ['starting', true], ['checking', true], ['unreachable', true], ['dashboard-missing', true], ['ready', false],
  ])('%s -> %s', (state, expected) => {
    expect(shouldRetry({ state, cause: 'unknown', status: 0 } as any)).toBe(expected);
  });
});

describe('backoff', () => {
  it('doubles from 1 s and caps at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelay(n))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('stays finite and sane for odd attempts', () => {
    expect(backoffDelay(10_000)).toBe(30000);
    expect(backoffDelay(-3)).toBe(1000);
    expect(backoffDelay(NaN)).toBe(1000);
    expect(backoffDelay(Infinity)).toBe(1000);
  });

  it('applies equal jitter with an injected random source', () => {
    expect(backoffDelay(2, { random: () => 0 })).toBe(2000);
    expect(backoffDelay(2, { random: () => 0.5 })).toBe(3000);
    expect(backoffDelay(2, { random: () => 0.999999 })).toBe(4000);
    expect(backoffDelay(9, { random: () => 0 })).toBe(15000);
    expect(backoffDelay(2, { random: () => 7 })).toBe(4000);
  });

  it('honours custom base, factor and cap', () => {
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, { baseMs: 500, factor: 3, maxMs: 5000 }))).toEqual([500, 1500, 4500, 5000]);
  });

  it('schedules successive delays and starts over on reset', () => {
    const schedule = createRetrySchedule();

    expect([schedule.next(), schedule.next(), schedule.next()]).toEqual([1000, 2000, 4000]);
    expect(schedule.attempt).toBe(3);
    schedule.reset();
    expect(schedule.attempt).toBe(0);
    expect(schedule.next()).toBe(1000);
  });
});
