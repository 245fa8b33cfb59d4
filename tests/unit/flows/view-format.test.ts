import {
  displayText, formatBytes, formatCount, formatMicros, formatRatio, formatTime
} from '@pkg/domain/flows/view/view-format';
import { DEFAULT_TIME_RANGE, TIME_RANGES, queryWindowFor, timeRangeFrom } from '@pkg/domain/flows/view/view-time';

describe('display text', () => {
  it('removes control and bidi characters, keeps markup characters as text, and bounds length', () => {
    expect(displayText('a\u202eb\u2066c\u0007d')).toBe('abcd');
    expect(displayText('<img src=x onerror=1>')).toBe('<img src=x onerror=1>');
    expect(displayText('x'.repeat(100), 10)).toBe(`${ 'x'.repeat(9) }\u2026`);
    expect(displayText({ toString: () => 'no' })).toBe('');
    expect(displayText(42)).toBe('42');
  });
});

describe('formatting', () => {
  it.each([[0, '0 B'], [1023, '1023 B'], [1536, '1.5 KiB'], [20 * 1024 * 1024, '20 MiB'], [-1, '-'], [Number.NaN, '-']])('bytes %p -> %s', (n, s) => {
    expect(formatBytes(n)).toBe(s);
  });

  it.each([[null, '-'], [850, '850 \u00b5s'], [12_345, '12.3 ms'], [250_000, '250 ms'], [1_500_000, '1.5 s']])('micros %p -> %s', (n, s) => {
    expect(formatMicros(n)).toBe(s);
  });

  it.each([[null, '-'], [0, '0%'], [0.00001, '<0.01%'], [0.0123, '1.23%'], [0.5, '50.0%']])('ratio %p -> %s', (n, s) => {
    expect(formatRatio(n)).toBe(s);
  });

  it('formats counts and times', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatTime(1777629600)).toBe('2026-05-01 10:00:00Z');
    expect(formatTime(0)).toBe('-');
  });
});

describe('time ranges', () => {
  it('offers the five ranges and falls back to the default for unknown input', () => {
    expect(TIME_RANGES).toEqual(['15m', '1h', '6h', '24h', '7d']);
    expect(timeRangeFrom('6h')).toBe('6h');
    expect(timeRangeFrom('1y')).toBe(DEFAULT_TIME_RANGE);
    expect(timeRangeFrom(['6h'])).toBe(DEFAULT_TIME_RANGE);
  });

  it('builds a window of minute rows ending now in whole seconds', () => {
    const w = queryWindowFor('15m', 1_777_629_600_999);

    expect(w).toEqual({ nowSeconds: 1_777_629_600, range: { start: 1_777_629_600 - 900, end: 1_777_629_600 }, precision: '1m' });
    // From the start of the first minute: a row counts when its start is in the range.
    expect(queryWindowFor('6h', 1_777_629_659_000)).toEqual({
      nowSeconds: 1_777_629_659, range: { start: 1_777_629_600 - 6 * 3600, end: 1_777_629_659 }, precision: '1m'
    });
  });

  it('reads a day or a week from the hourly rows, from the top of the first hour so that hour is not left out', () => {
    // 2026-05-01T10:20:59Z
    const now = 1_777_630_859;
    const hour = (s: number) => Math.floor(s / 3600) * 3600;

    expect(queryWindowFor('24h', now * 1000 + 500)).toEqual({ nowSeconds: now, range: { start: hour(now - 86400), end: now }, precision: '1h' });
    expect(queryWindowFor('7d', now * 1000)).toEqual({ nowSeconds: now, range: { start: hour(now - 7 * 86400), end: now }, precision: '1h' });
    expect(hour(now - 86400)).toBe(now - 86400 - 20 * 60 - 59);
  });
});
