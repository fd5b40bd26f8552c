import { describe, expect, it } from 'vitest';
import { formatDouble17g } from './reply.ts';

// Expected texts are glibc printf("%.17g") output for the same doubles (what Redis 7.0 prints),
// taken once with a C program; 20,000 fast-check doubles matched it too when this was written.
const PRINTF: Array<[number, string]> = [
  [-678063664041127.1, '-678063664041127.12'], // exact value ends in ...125: a tie, rounded to even
  [678063664041127.125, '678063664041127.12'],
  [0.1, '0.10000000000000001'],
  [1.1, '1.1000000000000001'],
  [-2.5, '-2.5'],
  [1e21, '1e+21'],
  [1e-5, '1.0000000000000001e-05'],
  [0.0001, '0.0001'],
  [123456789012345680, '1.2345678901234568e+17'],
  [3.0000000000000004, '3.0000000000000004'],
  [1e16, '10000000000000000'],
  [1e17, '1e+17'],
  [5e-324, '4.9406564584124654e-324'],
  [1.7976931348623157e308, '1.7976931348623157e+308'],
  [0.125, '0.125'],
  [9007199254740993, '9007199254740992'],
  [Infinity, 'inf'],
  [-Infinity, '-inf'],
  [-0, '-0'],
];

describe('formatDouble17g', () => {
  it.each(PRINTF)('%s prints as printf %%.17g does: %s', (d, text) => {
    expect(formatDouble17g(d)).toBe(text);
  });
});
