/**
 * The long double emulation behind INCRBYFLOAT. Every row of the table is `SET k a` then
 * `INCRBYFLOAT k b` as redis-server 7.0.15 (x86-64, glibc) answered it; an error row holds the
 * error text.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addLongDouble, formatLongDouble, parseLongDouble } from './long-double.ts';

const NOT_FLOAT = '-ERR value is not a valid float';
const NAN_OR_INF = '-ERR increment would produce NaN or Infinity';

/** What INCRBYFLOAT answers for a key holding `a`, incremented by `b`. */
function incrbyfloat(a: string, b: string): string {
  const x = parseLongDouble(a);
  const y = parseLongDouble(b);
  if (x === undefined || y === undefined) return NOT_FLOAT;
  const sum = addLongDouble(x, y);
  return sum === undefined ? NAN_OR_INF : formatLongDouble(sum);
}

const rows: Array<[string, string, string]> = [
  ['0', '0.1', '0.1'],
  ['0.1', '0.2', '0.3'],
  ['1.1', '2.2', '3.3'],
  ['0.3', '-0.1', '0.2'],
  ['10.5', '0.1', '10.6'],
  ['3.0e3', '1.5', '3001.5'],
  ['0', '1e30', '1000000000000000000024696061952'],
  ['12345', '1e50', '100000000000000000003583830118858923890798487404544'],
  ['0', '0.000003814697265625', '0.00000381469726562'],
  ['0', '0.000003814697265626', '0.00000381469726563'],
  ['0', '1.5e-17', '0.00000000000000002'],
  ['0', '2.5e-17', '0.00000000000000002'],
  ['0', '0.5e-17', '0'],
  ['0', '-1e-18', '0'],
  ['5', '-5', '0'],
  ['-0', '-0', '0'],
  ['0', '-0.000000000000000001', '0'],
  ['9223372036854775807', '1', '9223372036854775808'],
  ['18446744073709551615', '1', '18446744073709551616'],
  ['18446744073709551616', '1', '18446744073709551616'],
  ['1e19', '0.5', '10000000000000000000'],
  ['0', '123456789012345678901234567890', '123456789012345678899921813504'],
  ['0', '0.1e1', '1'],
  ['0', '1.18973149535723176508e+4932', NOT_FLOAT],
  ['0', '3.6e-4951', '0'],
  ['0', '1.8e-4951', NOT_FLOAT],
  ['0', '1.9e-4951', '0'],
  ['0', '0x1p-16445', '0'],
  ['0', '0x1p-16446', NOT_FLOAT],
  ['0', '0x1.8p-16446', '0'],
  ['0', '0x1p16384', NOT_FLOAT],
  ['0', '0X1.8P+1', '3'],
  ['0', '0xABC.DEF', '2748.870849609375'],
  ['0', '-0x.8', '-0.5'],
  ['0', '4.9406564584124654e-324', '0'],
  ['0', '0.1234567890123456789', '0.12345678901234568'],
  ['0', '99999999999999999.99', '99999999999999999.9921875'],
  ['0', '0.99999999999999999999', '1'],
  ['0', '-0.99999999999999999999', '-1'],
  ['1', 'INF', NAN_OR_INF],
  ['1', '-Infinity', NAN_OR_INF],
  ['inf', '-inf', NAN_OR_INF],
  ['1', 'nan', NOT_FLOAT],
  ['1', 'NaN(123)', NOT_FLOAT],
  ['1', '1e', NOT_FLOAT],
  ['1', '0x', NOT_FLOAT],
  ['1', '.', NOT_FLOAT],
  ['1', '+-1', NOT_FLOAT],
  ['1', '1e+', NOT_FLOAT],
  ['1', '0x1p', NOT_FLOAT],
  ['1', 'infinit', NOT_FLOAT],
  ['1', '1.5 ', NOT_FLOAT],
  ['1', '\t1', NOT_FLOAT],
  ['1', '1\u00002', NOT_FLOAT],
  ['1', '00012.500', '13.5'],
  ['1', '0e99999999999999999999', '1'],
  ['1', '1e99999999999999999999', NOT_FLOAT],
  ['1', '1e-99999999999999999999', NOT_FLOAT],
  ['1e-4940', '0', '0'],
  ['2.5', '-2.5', '0'],
  ['1e4932', '-1e4932', '0'],
  ['-1.5', '0.25', '-1.25'],
  ['100', '-100.000000000000000001', '0'],
  ['0.1', '0.7', '0.8'],
];

describe('INCRBYFLOAT arithmetic (x87 long double)', () => {
  it.each(rows)('%j + %j', (a, b, want) => {
    expect(incrbyfloat(a, b)).toBe(want);
  });

  it('prints the extremes in full', () => {
    const max = incrbyfloat('0', '0xffffffffffffffffp16320');
    expect(max.length).toBe(4933);
    expect(max.startsWith('1189731495357231765021263853030970205169')).toBe(true);
    expect(max.endsWith('1989770240')).toBe(true);
    expect(incrbyfloat('0', '1.18973149535723176502e+4932')).toBe(max);
    const dblMax = incrbyfloat('0', '1.7976931348623157e308');
    expect(dblMax.length).toBe(309);
    expect(dblMax.startsWith('1797693134862315699959210467741044340483')).toBe(true);
  });

  it('refuses inputs of 5120 bytes or more, as string2ld does', () => {
    expect(incrbyfloat('1', `1.${'0'.repeat(5117)}`)).toBe('2');
    expect(incrbyfloat('1', `1.${'0'.repeat(5118)}`)).toBe(NOT_FLOAT);
    expect(incrbyfloat('1', `${'1'}${'0'.repeat(5117)}`)).toBe(NOT_FLOAT);
  });

  it('adds integers exactly below 2^64', () => {
    fc.assert(
      fc.property(fc.bigInt(-(2n ** 62n), 2n ** 62n), fc.bigInt(-(2n ** 62n), 2n ** 62n), (a, b) => {
        expect(incrbyfloat(String(a), String(b))).toBe(String(a + b));
      }),
    );
  });

  it('prints a short decimal back as it was written', () => {
    // 15 significant digits below 10 are far inside the 64-bit mantissa, so %.17Lf recovers them.
    const decimal = fc
      .tuple(fc.boolean(), fc.integer({ min: 0, max: 9 }), fc.stringMatching(/^[0-9]{0,14}$/))
      .map(([neg, int, frac]) => {
        const trimmed = frac.replace(/0+$/, '');
        const text = trimmed === '' ? String(int) : `${int}.${trimmed}`;
        return neg && text !== '0' ? `-${text}` : text;
      });
    fc.assert(
      fc.property(decimal, (d) => {
        expect(incrbyfloat('0', d)).toBe(d);
      }),
    );
  });

  it('is commutative', () => {
    const num = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.stringMatching(/^-?[0-9]{1,25}(\.[0-9]{1,25})?$/),
    );
    fc.assert(
      fc.property(num, num, (a, b) => {
        expect(incrbyfloat(a, b)).toBe(incrbyfloat(b, a));
      }),
    );
  });
});
