import {
  displayText, formatBytes, formatCount, formatMicros, formatRatio, formatTime
} from '@pkg/domain/flows/view/view-format';
import { DEFAULT_TIME_RANGE, TIME_RANGES, queryWindowFor, rangeSeconds, timeRangeFrom } from '@pkg/domain/flows/view/view-time';

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

  it('builds a window ending now in whole seconds', () => {
    const w = queryWindowFor('15m', 1_777_629_600_999);

    expect(w).toEqual({ nowSeconds: 1_777_629_600, range: { start: 1_777_629_600 - 900, end: 1_777_629_600 } });
    expect(rangeSeconds('7d')).toBe(604800);
  });
});
