import {
  parseQuantity, millicores, mebibytes, gibibytes, formatMillicores, formatMebibytes
} from '@pkg/domain/install/quantity';

describe('quantities', () => {
  it.each([
    ['500m', 0.5], ['2', 2], ['1.5', 1.5], ['1Gi', 2 ** 30], ['512Mi', 2 ** 29], ['1k', 1000], ['1e3', 1000], ['.5', 0.5], [3, 3],
  ])('parses %p', (input, expected) => {
    expect(parseQuantity(input)).toBeCloseTo(expected as number);
  });

  it.each(['', 'abc', '1 Gi', '-1', '1GB', '1gi', null, undefined, {}, NaN, -5, '1e999'])('rejects %p', (input) => {
    expect(parseQuantity(input)).toBeUndefined();
  });

  it('converts to the units the wizard shows', () => {
    expect(millicores('250m')).toBe(250);
    expect(millicores('2')).toBe(2000);
    expect(mebibytes('1Gi')).toBe(1024);
    expect(gibibytes('20Gi')).toBe(20);
    expect(formatMillicores(1500)).toBe('1500m');
    expect(formatMillicores(2000)).toBe('2');
    expect(formatMebibytes(2048)).toBe('2Gi');
    expect(formatMebibytes(768)).toBe('768Mi');
  });
});
