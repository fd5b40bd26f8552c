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
    // As redis-server: a first argument that is not an option is a config file.
    [['serve', 'redis.conf', '--port', '7000'], { kind: 'serve', config: { port: '7000' }, options: ['--port 7000'], configFile: 'redis.conf' }],
    [['serve', 'redis.conf', 'port', '7000'], { kind: 'error', message: "unexpected argument 'port' (config options are --name value)" }],
    [['-n', 'x'], { kind: 'error', message: "invalid database number 'x'" }],
    [['bogus'], { kind: 'error', message: "unknown option or command 'bogus'" }],
    [['check-aof', '--fix', 'a.manifest'], { kind: 'check-aof', args: ['--fix', 'a.manifest'] }],
    [['check-rdb'], { kind: 'check-rdb', args: [] }],
    [
      ['--dir', '/d', '--appendonly', 'yes', '--save', '', '-3'],
      { kind: 'shell', output: undefined, resp: 3, db: 0, config: { dir: '/d', appendonly: 'yes', save: '' } },
    ],
    [['--appendfsync'], { kind: 'error', message: "missing value for '--appendfsync'" }],
    [['export', '--format', 'json'], { kind: 'export', format: 'json', out: undefined, config: {} }],
    [
      ['export', '--dir', 'd', '--format', 'rdb', '-o', 'x.rdb', '--appendonly', 'yes'],
      { kind: 'export', format: 'rdb', out: 'x.rdb', config: { dir: 'd', appendonly: 'yes' } },
    ],
    [['export'], { kind: 'error', message: 'export needs --format rdb|json' }],
    [['export', '--format', 'csv'], { kind: 'error', message: "unknown export format 'csv' (rdb or json)" }],
    [['import', 'a.json', '--dir', 'd'], { kind: 'import', file: 'a.json', config: { dir: 'd' } }],
    [['import'], { kind: 'error', message: 'import needs a file' }],
    [['import', 'a', 'b'], { kind: 'error', message: "unknown option or argument 'b' for import" }],
  ])('%j', (argv, expected) => expect(parseArgs(argv)).toStrictEqual(expected));
});
