import { stringMap } from '@pkg/domain/guards';

describe('stringMap (labels, annotations, ConfigMap data from untrusted objects)', () => {
  it('keeps the string values and drops every other value', () => {
    expect(stringMap({
      app: 'web', tier: '', replicas: 3, on: true, nested: { a: 'b' }, list: ['x'], none: null
    })).toEqual({ app: 'web', tier: '' });
  });

  it('is empty for anything that is not a plain object', () => {
    [undefined, null, 'app=web', 7, ['app', 'web']].forEach((value) => expect(stringMap(value)).toEqual({}));
  });

  it('keeps a "__proto__" label as an ordinary label, without touching any prototype', () => {
    const labels = stringMap(JSON.parse('{"__proto__": "evil", "app": "x"}'));

    expect(Object.keys(labels)).toEqual(['__proto__', 'app']);
    expect(Object.getOwnPropertyDescriptor(labels, '__proto__')?.value).toBe('evil');
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(stringMap(JSON.parse('{"__proto__": {"polluted": "yes"}}'))).toEqual({});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('returns a new object: changing it leaves the input alone', () => {
    const input = { app: 'web' };
    const labels = stringMap(input);

    labels.app = 'db';
    expect(input.app).toBe('web');
  });
});
