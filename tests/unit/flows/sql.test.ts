import {
  QueryBuildError, alias, aggregate, and, column, escapeLiteralBody, intLiteral, ipLiteral, join, limitClause,
  literalProblem, metric, nameLiteral, nameProblem, or, anyAddress, anyEqual, selectStatement, sql, stringLiteral, table, timeCondition, validateTimeRange
} from '@pkg/domain/flows/query/sql';
import { edgesQuery, flowRecordsQuery } from '@pkg/domain/flows/query/queries';
import { QUERY_LIMITS } from '@pkg/domain/flows/query/constants';
import { tokenize, Token } from '../../../sandbox/backend/sql-tokenizer';
import { seededRandom } from '../../../sandbox/backend/seed/seeded-random';

const NOW = 1_777_700_000;

function buildError(fn: () => unknown): QueryBuildError {
  try {
    fn();
  } catch (err) {
    if (err instanceof QueryBuildError) {
      return err;
    }
    throw err;
  }
  throw new Error('expected a QueryBuildError');
}

// Pieces attackers use, plus ordinary and exotic text. No control characters: those are rejected (tested separately).
const PIECES = [
  '\'', '\\', '"', '`', '--', '/*', '*/', ';', ' ', 'OR 1=1', ') OR (', '%', '_', '\\\'', '\'\'', 'a', 'Z', '0', '9', 'é', '中文',
  '\u202e', '\u200f', '\u200d', '\u2028', '\ufeff', '😀', '𝔘', 'DROP TABLE flow_log', '#', '${x}', '{{x}}', '<b>', '&amp;', '\u00a0',
];

const NAME_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random DNS-1123 label (a valid namespace, and part of a pod name), never containing "slimit". */
function randomName(rand: () => number): string {
  const n = 1 + Math.floor(rand() * 20);
  let s = '';

  for (let i = 0; i < n; i++) {
    const inner = i > 0 && i < n - 1 && rand() < 0.2;

    s += inner ? '-' : NAME_CHARS[Math.floor(rand() * NAME_CHARS.length)];
  }

  return s.includes('slimit') ? 'x' : s;
}

function randomString(rand: () => number): string {
  const n = Math.floor(rand() * 12);
  let s = '';

  for (let i = 0; i < n; i++) {
    s += PIECES[Math.floor(rand() * PIECES.length)];
  }

  return s;
}

describe('stringLiteral', () => {
  it('quotes with single quotes and escapes backslash and quote with a backslash', () => {
    expect(stringLiteral('web-0').text).toBe('\'web-0\'');
    expect(stringLiteral('it\'s').text).toBe('\'it\\\'s\'');
    expect(stringLiteral('a\\b').text).toBe('\'a\\\\b\'');
    expect(stringLiteral('\\\'').text).toBe('\'\\\\\\\'\'');
    expect(stringLiteral('').text).toBe('\'\'');
    expect(escapeLiteralBody('x\'; DROP TABLE t; --')).toBe('x\\\'; DROP TABLE t; --');
  });

  it.each([
    ['NUL', 'a\u0000b'], ['newline', 'a\nb'], ['carriage return', 'a\rb'], ['tab', 'a\tb'], ['escape', '\u001b[31m'],
    ['DEL', 'a\u007fb'], ['C1 control', 'a\u0085b'], ['lone high surrogate', 'a\ud800b'], ['lone low surrogate', 'a\udc00b'],
    ['trailing high surrogate', 'abc\ud83d'],
  ])('rejects a %s', (_label, value) => {
    expect(literalProblem(value)).toBe('control-character');
    expect(buildError(() => stringLiteral(value))).toMatchObject({ code: 'invalid-literal', params: { reason: 'control-character' } });
  });

  it('accepts paired surrogates, RTL marks and other printable unicode', () => {
    expect(stringLiteral('😀\u202eevil\u200f中').text).toBe('\'😀\u202eevil\u200f中\'');
  });

  it('rejects non-strings and overlong values', () => {
    expect(buildError(() => stringLiteral(42))).toMatchObject({ params: { reason: 'not-a-string' } });
    expect(buildError(() => stringLiteral(undefined))).toMatchObject({ params: { reason: 'not-a-string' } });
    expect(buildError(() => stringLiteral('x'.repeat(1025)))).toMatchObject({ params: { reason: 'too-long' } });
    expect(stringLiteral('x'.repeat(1024)).text).toHaveLength(1026);
  });

  it.each([
    ['quotes', '\' OR \'1\'=\'1'],
    ['backslash before quote', '\\\' OR 1=1 --'],
    ['line comment', 'x\' -- '],
    ['block comment', 'x\'/* */OR/**/\'1'],
    ['statement separator', 'x\'; SELECT * FROM flow_log.l7_flow_log; --'],
    ['double quotes and backticks', '"`network.1m`"'],
    ['unicode and RTL marks', '\u202e\' OR 1=1 --\u202c'],
    ['doubled quotes', '\'\'\'\''],
  ])('keeps an injection attempt (%s) inside one string token', (_label, value) => {
    const stmt = sql`SELECT pod FROM ${ table('network') } WHERE pod=${ stringLiteral(value) } AND time>=1`;
    const tokens = tokenize(stmt.text);

    expect(tokens).toEqual([
      { type: 'ident', value: 'SELECT' }, { type: 'ident', value: 'pod' }, { type: 'ident', value: 'FROM' },
      { type: 'ident', value: 'network' }, { type: 'ident', value: 'WHERE' }, { type: 'ident', value: 'pod' },
      { type: 'op', value: '=' }, { type: 'string', value }, { type: 'ident', value: 'AND' }, { type: 'ident', value: 'time' },
      { type: 'op', value: '>=' }, { type: 'number', value: '1' },
    ]);
  });
});

describe('escaped literals round-trip through a reference tokenizer (property test)', () => {
  const rand = seededRandom(20260501);
  const samples = Array.from({ length: 3000 }, () => randomString(rand));

  it('generates varied hostile samples', () => {
    expect(new Set(samples).size).toBeGreaterThan(2500);
    expect(samples.some((s) => s.includes('\\\''))).toBe(true);
    expect(samples.some((s) => s.includes('😀'))).toBe(true);
  });

  it('keeps every literal one token with its exact value and leaves the rest unchanged', () => {
    const template = (lit: ReturnType<typeof stringLiteral>) => sql`SELECT Sum(byte) AS sum_byte FROM ${ table('network_map') } WHERE (pod_0=${ lit } OR pod_1=${ lit }) AND time<=5 GROUP BY pod_0 LIMIT 10`;
    const reference = tokenize(template(stringLiteral('x')).text);
    const literalPositions = reference.map((t, i) => (t.type === 'string' ? i : -1)).filter((i) => i >= 0);

    expect(literalPositions).toHaveLength(2);
    for (const s of samples) {
      const tokens = tokenize(template(stringLiteral(s)).text);
      const expected: Token[] = reference.map((t, i) => (literalPositions.includes(i) ? { type: 'string', value: s } : t));

      expect(tokens).toEqual(expected);
    }
  });

  it('holds for the real view builders: filter values never change the statement structure', () => {
    const window = { range: { start: NOW - 3600, end: NOW }, nowSeconds: NOW };
    const shape = (tokens: Token[]) => tokens.map((t) => (t.type === 'string' ? 'STRING' : `${ t.type }:${ t.value }`));
    const referenceEdges = shape(tokenize(edgesQuery({ window, filters: { namespace: 'a', pod: 'b' } }).sql));
    const referenceLog = shape(tokenize(flowRecordsQuery({ window, filters: { namespace: 'a' }, scope: { pods: ['b'], namespace: 'c' } }).sql));
    const nameRand = seededRandom(1123);
    const names = Array.from({ length: 500 }, () => randomName(nameRand));

    expect(new Set(names).size).toBeGreaterThan(400);
    for (const name of names) {
      const pod = `${ name }.${ name }-0`;
      const edges = tokenize(edgesQuery({ window, filters: { namespace: name, pod } }).sql);
      const log = tokenize(flowRecordsQuery({ window, filters: { namespace: name }, scope: { pods: [pod], namespace: name } }).sql);

      expect(shape(edges)).toEqual(referenceEdges);
      expect(shape(log)).toEqual(referenceLog);
      expect(edges.filter((t) => t.type === 'string').map((t) => t.value)).toEqual([name, name, pod, pod]);
      expect(log.filter((t) => t.type === 'string').map((t) => t.value)).toEqual([name, pod, name, pod, name, name]);
      expect([...edges, ...log].some((t) => t.type === 'comment' || t.type === 'separator' || t.type === 'unknown')).toBe(false);
    }
  });

  it('refuses every hostile sample as a namespace or pod name before any SQL is built', () => {
    const window = { range: { start: NOW - 3600, end: NOW }, nowSeconds: NOW };

    for (const s of samples.filter((x) => x !== '' && nameProblem(x, 'pod') !== null).slice(0, 500)) {
      expect(buildError(() => edgesQuery({ window, filters: { pod: s } }))).toMatchObject({ code: 'invalid-name', params: { kind: 'pod' } });
      expect(buildError(() => flowRecordsQuery({ window, scope: { namespace: s } }))).toMatchObject({ code: 'invalid-name', params: { kind: 'namespace' } });
    }
  });

  it('rejects every sample that contains a control character', () => {
    const controlRand = seededRandom(7);

    for (let i = 0; i < 500; i++) {
      const code = Math.floor(controlRand() * 0x20);
      const s = `${ randomString(controlRand) }${ String.fromCharCode(code) }${ randomString(controlRand) }`;

      expect(literalProblem(s)).toBe('control-character');
    }
  });
});

describe('identifiers', () => {
  it('accepts allow-listed tags and metrics of the table only', () => {
    expect(column('network_map', 'pod_0').text).toBe('pod_0');
    expect(column('network', 'pod').text).toBe('pod');
    expect(metric('network', 'byte_tx').text).toBe('byte_tx');
    expect(buildError(() => column('network', 'pod_0'))).toMatchObject({ code: 'unknown-identifier' });
    expect(buildError(() => column('network_map', 'pod'))).toMatchObject({ code: 'unknown-identifier' });
    expect(buildError(() => metric('network', 'pod'))).toMatchObject({ code: 'unknown-identifier' });
  });

  it.each(['pod; DROP', 'pod--', 'Pod', '`pod`', 'pod_0 OR 1=1', '', 'pod\u0000', 'constructor', '__proto__', 'toString'])(
    'rejects %j', (name) => {
      expect(buildError(() => column('network_map', name))).toMatchObject({ code: 'unknown-identifier' });
    });

  it('renders tables by their bare names from the allow-list only (precision goes in data_precision)', () => {
    expect(table('network').text).toBe('network');
    expect(table('network_map').text).toBe('network_map');
    expect(table('l4_flow_log').text).toBe('l4_flow_log');
    expect(buildError(() => table('network.1m' as any))).toMatchObject({ code: 'unknown-identifier' });
    expect(buildError(() => table('network_map.1s' as any))).toMatchObject({ code: 'unknown-identifier' });
    expect(buildError(() => table('l7_flow_log' as any))).toMatchObject({ code: 'unknown-identifier' });
    expect(buildError(() => table('toString' as any))).toMatchObject({ code: 'unknown-identifier' });
  });

  it('builds aggregates from allow-listed functions and metrics', () => {
    expect(aggregate('Sum', 'network', 'byte_tx')).toEqual({ expr: expect.objectContaining({ text: 'Sum(byte_tx) AS sum_byte_tx' }), alias: 'sum_byte_tx' });
    expect(aggregate('Avg', 'network_map', 'rtt').expr.text).toBe('Avg(rtt) AS avg_rtt');
    expect(buildError(() => aggregate('Sleep' as any, 'network', 'byte'))).toMatchObject({ code: 'unknown-identifier' });
    expect(buildError(() => aggregate('Sum', 'network', 'pod'))).toMatchObject({ code: 'unknown-identifier' });
  });

  it('validates aliases', () => {
    expect(alias('sum_byte').text).toBe('sum_byte');
    expect(buildError(() => alias('sum byte'))).toMatchObject({ code: 'unknown-identifier' });
  });
});

describe('fragments', () => {
  it('refuses to interpolate plain strings', () => {
    expect(() => (sql as any)`SELECT ${ 'pod' }`).toThrow(TypeError);
    expect(() => join(['pod' as any], ', ')).toThrow(TypeError);
    expect(() => (sql as any)`SELECT ${ { text: 'forged' } }`).toThrow(TypeError);
  });

  it('groups conditions with parentheses only when needed', () => {
    const a = sql`a=1`;
    const b = sql`b=2`;

    expect(and(a).text).toBe('a=1');
    expect(and(a, b).text).toBe('(a=1 AND b=2)');
    expect(or(a, and(a, b)).text).toBe('(a=1 OR (a=1 AND b=2))');
    expect(() => or()).toThrow(TypeError);
  });
});

describe('numbers', () => {
  it('accepts safe integers within bounds', () => {
    expect(intLiteral(443, 0, 65535).text).toBe('443');
    expect(intLiteral(0, 0, 1).text).toBe('0');
  });

  it.each([
    [65536], [-1], [1.5], [NaN], [Infinity], ['80'], ['80 OR 1=1'], [null], [2 ** 53],
  ])('rejects %p as a port', (value) => {
    expect(buildError(() => intLiteral(value, 0, 65535))).toMatchObject({ code: 'invalid-number' });
  });

  it('bounds LIMIT and OFFSET', () => {
    expect(limitClause(10).text).toBe('LIMIT 10');
    expect(limitClause(10, 20).text).toBe('LIMIT 10 OFFSET 20');
    expect(buildError(() => limitClause(0))).toMatchObject({ code: 'invalid-number' });
    expect(buildError(() => limitClause(10_001))).toMatchObject({ code: 'invalid-number' });
    expect(buildError(() => limitClause(10, 100_001))).toMatchObject({ code: 'invalid-number' });
    expect(buildError(() => limitClause(10, -1))).toMatchObject({ code: 'invalid-number' });
  });
});

describe('IP literals and lists', () => {
  it('normalizes addresses before quoting them', () => {
    expect(ipLiteral('10.0.0.1').text).toBe('\'10.0.0.1\'');
    expect(ipLiteral('2001:DB8:0:0:0:0:0:1').text).toBe('\'2001:db8::1\'');
    expect(ipLiteral(' ::ffff:10.1.2.3 ').text).toBe('\'10.1.2.3\'');
  });

  it.each(['10.0.0.256', '10.0.0.1\' OR 1=1', '1.2.3', 'localhost', '', '::g', '1.2.3.4/24'])('rejects %j', (value) => {
    expect(buildError(() => ipLiteral(value))).toMatchObject({ code: 'invalid-ip' });
  });

  it('writes one-of-several values as an OR chain, bounded', () => {
    const ip = column('network', 'ip');

    expect(anyEqual(ip, [ipLiteral('10.0.0.1')]).text).toBe('ip=\'10.0.0.1\'');
    expect(anyEqual(ip, ['10.0.0.1', '10.0.0.2', '2001:DB8::1'].map(ipLiteral)).text)
      .toBe('(ip=\'10.0.0.1\' OR ip=\'10.0.0.2\' OR ip=\'2001:db8::1\')');
    expect(anyEqual(column('network_map', 'pod_0'), [stringLiteral('a'), stringLiteral('b')]).text).toBe('(pod_0=\'a\' OR pod_0=\'b\')');
    expect(anyEqual(ip, [ipLiteral('fd00::1'), ipLiteral('10.0.0.1')]).text).not.toMatch(/\bIN\b/);
    expect(buildError(() => anyEqual(ip, []))).toMatchObject({ code: 'invalid-list' });
    expect(buildError(() => anyEqual(ip, new Array(257).fill(stringLiteral('a'))))).toMatchObject({ code: 'invalid-list', params: { count: 257 } });
    expect(anyEqual(ip, new Array(256).fill(ipLiteral('10.0.0.1'))).text.split(' OR ')).toHaveLength(256);
  });
});

describe('address lists (anyAddress)', () => {
  it('writes one IN list per address family on DeepFlow\'s stored columns, canonical and in order', () => {
    expect(anyAddress('network', '', ['10.0.0.1', 'FD00::0:1', '10.0.0.2']).text)
      .toBe('((is_ipv4=1 AND ip4 IN (\'10.0.0.1\', \'10.0.0.2\')) OR (is_ipv4=0 AND ip6 IN (\'fd00::1\')))');
    expect(anyAddress('network_map', '_1', ['2001:db8::5']).text).toBe('(is_ipv4=0 AND ip6_1 IN (\'2001:db8::5\'))');
    // An IPv4-mapped IPv6 address is the IPv4 address (net/ip.ts parseIp), as DeepFlow stores it.
    expect(anyAddress('l4_flow_log', '_0', ['::ffff:10.0.0.9']).text).toBe('(is_ipv4=1 AND ip4_0 IN (\'10.0.0.9\'))');
  });

  it('refuses what is not an address, an empty or too long list, and a side the table does not have', () => {
    for (const bad of ['10.0.0.1\' OR 1=1 --', '10.0.0.256', '', 'fd00::1/64', 42, null]) {
      expect(buildError(() => anyAddress('network', '', ['10.0.0.1', bad]))).toMatchObject({ code: 'invalid-ip' });
    }
    expect(buildError(() => anyAddress('network', '', []))).toMatchObject({ code: 'invalid-list' });
    // Longer than an OR chain may be (maxListValues): an IN list costs ClickHouse the same whatever its length.
    expect(QUERY_LIMITS.maxAddresses).toBeGreaterThan(QUERY_LIMITS.maxListValues);
    expect(buildError(() => anyAddress('network', '', new Array(QUERY_LIMITS.maxAddresses + 1).fill('10.0.0.1'))))
      .toMatchObject({ code: 'invalid-list', params: { count: QUERY_LIMITS.maxAddresses + 1, max: QUERY_LIMITS.maxAddresses } });
    expect(anyAddress('network', '', new Array(QUERY_LIMITS.maxAddresses).fill('10.0.0.1')).text.split(', ')).toHaveLength(QUERY_LIMITS.maxAddresses);
    expect(buildError(() => anyAddress('network', '_0', ['10.0.0.1']))).toMatchObject({ code: 'unknown-identifier', params: { name: 'ip4_0' } });
    expect(buildError(() => anyAddress('network_map', '', ['10.0.0.1']))).toMatchObject({ code: 'unknown-identifier' });
  });
});

describe('Kubernetes names (nameProblem / nameLiteral)', () => {
  it.each([
    ['web-0', 'pod'], ['web-0.shop', 'pod'], ['a', 'pod'], ['0', 'namespace'], ['kube-system', 'namespace'], ['x'.repeat(63), 'namespace'],
    [`${ 'a'.repeat(63) }.${ 'b'.repeat(63) }.${ 'c'.repeat(63) }.${ 'd'.repeat(61) }`, 'pod'],
  ] as const)('accepts %j as a %s', (value, kind) => {
    expect(nameProblem(value, kind)).toBeNull();
    expect(nameLiteral(value, kind).text).toBe(`'${ value }'`);
  });

  it.each([
    ['', 'pod'], ['', 'namespace'], ['Web-0', 'pod'], ['web_0', 'pod'], ['-web', 'pod'], ['web-', 'pod'], ['.web', 'pod'], ['web.', 'pod'],
    ['web..0', 'pod'], ['web.0', 'namespace'], ['x'.repeat(64), 'namespace'], ['x'.repeat(254), 'pod'], ['web 0', 'pod'],
    ['web\'0', 'pod'], ['a\nb', 'pod'], [42, 'pod'], [undefined, 'namespace'], [null, 'pod'],
  ] as const)('refuses %j as a %s (not-a-name)', (value, kind) => {
    expect(nameProblem(value, kind)).toBe('not-a-name');
    expect(buildError(() => nameLiteral(value, kind))).toMatchObject({ code: 'invalid-name', params: { kind, reason: 'not-a-name' } });
  });

  it.each([
    ['slimit', 'pod'], ['web-slimit-0', 'pod'], ['a.slimit.b', 'pod'], ['slimits', 'namespace'], ['team-slimit', 'namespace'],
  ] as const)('refuses %j as a %s: DeepFlow 7.1.8 takes its SLIMIT path on any "slimit" in the statement', (value, kind) => {
    expect(nameProblem(value, kind)).toBe('querier-keyword');
    expect(buildError(() => nameLiteral(value, kind))).toMatchObject({ code: 'invalid-name', params: { kind, reason: 'querier-keyword', value } });
  });

  it('names a valid name that merely looks like "limit" fine', () => {
    expect(nameProblem('limit', 'pod')).toBeNull();
    expect(nameProblem('s-limit', 'namespace')).toBeNull();
  });

  it('cuts long refused values in the error params', () => {
    expect(buildError(() => nameLiteral('X'.repeat(300), 'pod')).params.value).toHaveLength(64);
  });
});

describe('time ranges', () => {
  it('renders time>=N AND time<=M', () => {
    expect(timeCondition({ start: NOW - 3600, end: NOW }, NOW).text).toBe(`time>=${ NOW - 3600 } AND time<=${ NOW }`);
  });

  it('allows an end up to a minute in the future (clock skew)', () => {
    expect(validateTimeRange({ start: NOW - 60, end: NOW + 60 }, NOW)).toEqual({ start: NOW - 60, end: NOW + 60 });
  });

  it.each([
    [{ start: NOW, end: NOW }, 'start-not-before-end'],
    [{ start: NOW, end: NOW - 1 }, 'start-not-before-end'],
    [{ start: NOW - 60, end: NOW + 61 }, 'in-the-future'],
    [{ start: NOW - 31 * 86400 - 1, end: NOW }, 'too-long'],
    [{ start: 1.5, end: NOW }, 'not-integer-seconds'],
    [{ start: '0', end: NOW }, 'not-integer-seconds'],
    [{ start: -5, end: NOW }, 'not-integer-seconds'],
    [{ start: NaN, end: NOW }, 'not-integer-seconds'],
    [null, 'not-integer-seconds'],
  ])('rejects %p (%s)', (range, reason) => {
    expect(buildError(() => validateTimeRange(range, NOW))).toMatchObject({ code: 'invalid-time-range', params: { reason } });
  });

  it('accepts exactly 31 days', () => {
    expect(() => validateTimeRange({ start: NOW - 31 * 86400, end: NOW }, NOW)).not.toThrow();
  });
});

describe('selectStatement', () => {
  it('assembles clauses in order', () => {
    const stmt = selectStatement({
      select:  [column('network', 'pod'), aggregate('Sum', 'network', 'byte').expr],
      from:    'network',
      where:   [timeCondition({ start: 100, end: 200 }, NOW)],
      groupBy: [column('network', 'pod')],
      orderBy: [{ expr: alias('sum_byte'), dir: 'desc' }],
      limit:   5,
    });

    expect(stmt.text).toBe('SELECT pod, Sum(byte) AS sum_byte FROM network WHERE time>=100 AND time<=200 GROUP BY pod ORDER BY sum_byte DESC LIMIT 5');
  });

  it('rejects unknown sort directions', () => {
    expect(buildError(() => selectStatement({
      select: [column('network', 'pod')], from: 'network', where: [sql`1=1`], orderBy: [{ expr: alias('pod'), dir: 'sideways' as any }], limit: 1
    }))).toMatchObject({ code: 'invalid-option' });
  });
});
