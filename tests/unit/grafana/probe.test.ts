import { probe, varsFromQuery } from '@pkg/domain/grafana/probe';

describe('probe', () => {
  it('reports the status and a short message', async() => {
    const result = await probe(async() => ({ status: 503, text: async() => 'x'.repeat(1000) }), '/u');

    expect(result.status).toBe(503);
    expect(result.message).toHaveLength(300);
  });

  it('turns network errors into status 0 without throwing', async() => {
    const result = await probe(() => Promise.reject(new Error('Failed to fetch')), '/u');

    expect(result).toEqual({ status: 0, message: 'Failed to fetch', timedOut: false });
  });

  it('marks its own timeout', async() => {
    const hang = (_: string, init?: { signal?: AbortSignal }) => new Promise<any>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));

    expect(await probe(hang, '/u', undefined, 10)).toMatchObject({ status: 0, timedOut: true });
  });

  it('does not call a caller abort a timeout', async() => {
    const controller = new AbortController();
    const hang = (_: string, init?: { signal?: AbortSignal }) => new Promise<any>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    const pending = probe(hang, '/u', controller.signal, 10000);

    controller.abort();
    expect(await pending).toMatchObject({ status: 0, timedOut: false });
  });
});

describe('varsFromQuery', () => {
  it('reads var-* parameters, repeated ones as lists', () => {
    expect(varsFromQuery({
      'var-vm': 'web-1', 'var-namespace': ['a', 'b'], dashboard: 'x', 'var-': 'ignored', 'var-n': [null]
    } as any)).toEqual({ vm: 'web-1', namespace: ['a', 'b'] });
  });
});
