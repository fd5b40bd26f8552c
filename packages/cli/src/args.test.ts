import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';

describe('parseArgs', () => {
  it.each<[string[], ReturnType<typeof parseArgs>]>([
    [[], { kind: 'shell', output: undefined, resp: 2, db: 0 }],
    [['--raw', '-3', '-n', '2'], { kind: 'shell', output: 'raw', resp: 3, db: 2 }],
    [['--no-raw'], { kind: 'shell', output: 'tty', resp: 2, db: 0 }],
    [['--help'], { kind: 'help' }],
    [['-h'], { kind: 'help' }],
    [['help'], { kind: 'help' }],
    [['--version'], { kind: 'version' }],
    [['serve'], { kind: 'serve', config: {}, options: [] }],
    [
      ['serve', '--port', '7000', '--bind', '0.0.0.0', '--save', '900', '1', '300', '10', '--save', ''],
      {
        kind: 'serve',
        config: { port: '7000', bind: '0.0.0.0', save: '' },
        options: ['--port 7000', '--bind 0.0.0.0', '--save 900 1 300 10', '--save '],
      },
    ],
    [['serve', '--list-max-listpack-size', '-2'], { kind: 'serve', config: { 'list-max-listpack-size': '-2' }, options: ['--list-max-listpack-size -2'] }],
    [['serve', '--help'], { kind: 'help' }],
    [['serve', '--port'], { kind: 'error', message: "missing value for '--port'" }],
    [['serve', 'port', '7000'], { kind: 'error', message: "unexpected argument 'port' (config options are --name value)" }],
    [['-n', 'x'], { kind: 'error', message: "invalid database number 'x'" }],
    [['bogus'], { kind: 'error', message: "unknown option or command 'bogus'" }],
  ])('%j', (argv, expected) => expect(parseArgs(argv)).toStrictEqual(expected));
});
