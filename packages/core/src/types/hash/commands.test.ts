/**
 * Table-driven tests of the hash commands. Every expected reply below was recorded from a real
 * redis-server 7.0.15 running the same steps from an empty dataset (RESP2, replies in plain form:
 * `{ s }` status, `{ err }` error, `{ i }` an integer beyond 2^53, `{ len }` only the length is
 * deterministic; a trailing `true` compares as a multiset because the order is a hashtable's).
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/engine.ts';
import type { Client } from '../../engine/client.ts';
import { ReplyError } from '../../reply/errors.ts';
import { MapReply, NilArray, OK, SetReply, Status, type Reply } from '../../reply/reply.ts';
import { objectEncoding, typeOf } from '../../keyspace/object.ts';

type Plain = string | number | null | Plain[] | { s: string } | { err: string } | { i: string } | { len: number } | { nilarray: true };
interface Scenario {
  name: string;
  steps: Array<[string[], Plain] | [string[], Plain, boolean]>;
}

const NOW = 1_700_000_000_000;

function plain(r: Reply): Plain {
  if (typeof r === 'string' || typeof r === 'number' || r === null) return r;
  if (typeof r === 'bigint') return Number.isSafeInteger(Number(r)) ? Number(r) : { i: String(r) };
  if (Array.isArray(r)) return r.map(plain);
  if (r instanceof MapReply || r instanceof SetReply) return r.items.map(plain);
  if (r instanceof Status) return { s: r.value };
  if (r instanceof ReplyError) return { err: r.message };
  if (r instanceof NilArray) return { nilarray: true };
  throw new Error(`unexpected reply ${String(r)}`);
}

/**
 * Runs one step. The few commands of other families the scenarios use are answered from the
 * keyspace directly, so these tests depend on nothing outside this type.
 */
function run(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  switch (argv[0]!.toLowerCase()) {
    case 'object': {
      const e = c.db.lookup(argv[2]!);
      return e === undefined ? null : objectEncoding(e);
    }
    case 'config':
      c.engine.config.set(argv[2]!, argv[3]!);
      return OK;
    case 'exists':
      return c.db.lookup(key) === undefined ? 0 : 1;
    case 'type': {
      const e = c.db.lookup(key);
      return new Status(e === undefined ? 'none' : typeOf(e.value));
    }
    case 'expire': {
      const e = c.db.lookup(key);
      if (e === undefined) return 0;
      c.db.setExpire(key, e, NOW + Number(argv[2]) * 1000);
      return 1;
    }
    case 'ttl': {
      const e = c.db.lookup(key);
      return e === undefined ? -2 : e.expireAt === -1 ? -1 : Math.round((e.expireAt - NOW) / 1000);
    }
  }
  const r = c.exec(argv);
  if (r instanceof Promise) throw new Error('unexpected blocking reply');
  return r;
}

/** A fixed Park-Miller sequence: the tables only check what does not depend on it. */
function lcg(): () => number {
  let x = 12345;
  return () => (x = (x * 16807) % 2147483647) / 2147483647;
}

function sorted(p: Plain): Plain {
  return Array.isArray(p) ? [...p].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) : p;
}

function runScenarios(scenarios: Scenario[]): void {
  for (const sc of scenarios) {
    it(sc.name, () => {
      const engine = createEngine({ activeExpire: false, now: () => NOW, random: lcg() });
      const c = engine.connect();
      for (const [argv, expected, unordered] of sc.steps) {
        const actual = plain(run(c, argv));
        const label = argv.join(' ').slice(0, 120);
        if (expected !== null && typeof expected === 'object' && 'len' in expected) {
          expect((actual as Plain[]).length, label).toBe(expected.len);
        } else if (unordered) {
          expect(sorted(actual), label).toEqual(sorted(expected));
        } else {
          expect(actual, label).toEqual(expected);
        }
      }
      engine.close();
    });
  }
}

describe('hash commands, answers recorded from Redis 7.0.15', () => runScenarios(HASH_SCENARIOS));

const HASH_SCENARIOS: Scenario[] = [
  { name: "HSET, HGET, HMGET, HSETNX, HMSET", steps: [
    [["hset", "h", "a", "1", "b", "2"], 2],
    [["hset", "h", "a", "3", "c", "4"], 1],
    [["hget", "h", "a"], "3"],
    [["hget", "h", "zz"], null],
    [["hget", "nokey", "a"], null],
    [["hmget", "h", "a", "b", "zz"], ["3", "2", null]],
    [["hmget", "nokey", "a", "b"], [null, null]],
    [["hset", "h", "a", "1", "b"], {"err": "ERR wrong number of arguments for 'hset' command"}],
    [["hmset", "h", "a", "1", "b"], {"err": "ERR wrong number of arguments for 'hmset' command"}],
    [["hmset", "h", "x", "9", "y", "8"], {"s": "OK"}],
    [["hsetnx", "h", "a", "100"], 0],
    [["hsetnx", "h", "n", "5"], 1],
    [["hsetnx", "newh", "f", "v"], 1],
    [["hgetall", "h"], ["a", "3", "b", "2", "c", "4", "x", "9", "y", "8", "n", "5"]],
    [["hkeys", "h"], ["a", "b", "c", "x", "y", "n"]],
    [["hvals", "h"], ["3", "2", "4", "9", "8", "5"]],
    [["hlen", "h"], 6],
    [["hgetall", "newh"], ["f", "v"]],
    [["HSET", "h", "A", "upper"], 1],
    [["hget", "h", "A"], "upper"],
    [["hget", "h", "a"], "3"],
  ] },
  { name: "HGETALL keeps listpack order: updates in place, new fields at the tail", steps: [
    [["hset", "h", "z", "1", "y", "2", "x", "3"], 3],
    [["hset", "h", "y", "20"], 0],
    [["hdel", "h", "z"], 1],
    [["hset", "h", "z", "30"], 1],
    [["hgetall", "h"], ["y", "20", "x", "3", "z", "30"]],
    [["hkeys", "h"], ["y", "x", "z"]],
    [["hvals", "h"], ["20", "3", "30"]],
    [["hdel", "h", "y"], 1],
    [["hset", "h", "w", "4", "y", "5"], 2],
    [["hgetall", "h"], ["x", "3", "z", "30", "w", "4", "y", "5"]],
  ] },
  { name: "HEXISTS, HLEN, HSTRLEN", steps: [
    [["hset", "h", "a", "hello", "e", "\"\""], 2],
    [["hset", "h", "e", ""], 0],
    [["hexists", "h", "a"], 1],
    [["hexists", "h", "zz"], 0],
    [["hexists", "nokey", "a"], 0],
    [["hlen", "h"], 2],
    [["hlen", "nokey"], 0],
    [["hstrlen", "h", "a"], 5],
    [["hstrlen", "h", "e"], 0],
    [["hstrlen", "h", "zz"], 0],
    [["hstrlen", "nokey", "a"], 0],
    [["hset", "h", "bin", "a\u0000\u00ff"], 1],
    [["hstrlen", "h", "bin"], 3],
    [["hget", "h", "bin"], "a\u0000\u00ff"],
  ] },
  { name: "HDEL deletes the key with its last field", steps: [
    [["hset", "h", "a", "1", "b", "2", "c", "3"], 3],
    [["hdel", "h", "a", "zz", "c"], 2],
    [["hdel", "h", "zz"], 0],
    [["hdel", "nokey", "a"], 0],
    [["hgetall", "h"], ["b", "2"]],
    [["hdel", "h", "b", "b"], 1],
    [["exists", "h"], 0],
    [["hgetall", "nokey"], []],
    [["hkeys", "nokey"], []],
    [["hvals", "nokey"], []],
    [["hlen", "nokey"], 0],
    [["hset", "h", "a", "1"], 1],
    [["hdel", "h", "a", "a"], 1],
    [["exists", "h"], 0],
  ] },
  { name: "WRONGTYPE", steps: [
    [["set", "str", "x"], {"s": "OK"}],
    [["hset", "str", "a", "1"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["hget", "str", "a"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["hmget", "str", "a"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["hgetall", "str"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["hdel", "str", "a"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["hlen", "str"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["hexists", "str", "a"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["hstrlen", "str", "a"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["hkeys", "str"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["hvals", "str"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["hsetnx", "str", "a", "1"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["hincrby", "str", "a", "1"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["hincrbyfloat", "str", "a", "1"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["hrandfield", "str"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["hrandfield", "str", "1"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["hscan", "str", "0"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["hmset", "str", "a", "1"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["get", "str"], "x"],
    [["hincrby", "str", "a", "x"], {"err": "ERR value is not an integer or out of range"}],
    [["hincrbyfloat", "str", "a", "x"], {"err": "ERR value is not a valid float"}],
    [["hrandfield", "str", "1", "foo"], {"err": "ERR syntax error"}],
    [["hscan", "str", "x"], {"err": "ERR invalid cursor"}],
  ] },
  { name: "HINCRBY", steps: [
    [["hincrby", "h", "n", "5"], 5],
    [["hincrby", "h", "n", "-7"], -2],
    [["hincrby", "h", "n", "0"], -2],
    [["hset", "h", "s", "abc"], 1],
    [["hincrby", "h", "s", "1"], {"err": "ERR hash value is not an integer"}],
    [["hincrby", "h", "n", "abc"], {"err": "ERR value is not an integer or out of range"}],
    [["hincrby", "h", "n", "1.5"], {"err": "ERR value is not an integer or out of range"}],
    [["hincrby", "h", "n", "99999999999999999999"], {"err": "ERR value is not an integer or out of range"}],
    [["hset", "h", "q", "5"], 1],
    [["hincrby", "h", "q", "-9223372036854775808"], {"i": "-9223372036854775803"}],
    [["hincrby", "h", "q", "-9223372036854775808"], {"err": "ERR increment or decrement would overflow"}],
    [["hincrby", "h", "q2", "9223372036854775807"], {"i": "9223372036854775807"}],
    [["hincrby", "h", "q2", "1"], {"err": "ERR increment or decrement would overflow"}],
    [["hincrby", "h", "q2", "-1"], {"i": "9223372036854775806"}],
    [["hset", "h", "q3", "-9223372036854775808"], 1],
    [["hincrby", "h", "q3", "-1"], {"err": "ERR increment or decrement would overflow"}],
    [["hincrby", "h", "q3", "9223372036854775807"], -1],
    [["hset", "h", "lz", "010"], 1],
    [["hincrby", "h", "lz", "1"], {"err": "ERR hash value is not an integer"}],
    [["hset", "h", "sp", "\"", "1\""], {"err": "ERR wrong number of arguments for 'hset' command"}],
    [["hset", "h", "sp", " 1"], 1],
    [["hincrby", "h", "sp", "1"], {"err": "ERR hash value is not an integer"}],
    [["hset", "h", "big", "4611686018427387904"], 1],
    [["hincrby", "h", "big", "4611686018427387903"], {"i": "9223372036854775807"}],
    [["hincrby", "h", "big", "1"], {"err": "ERR increment or decrement would overflow"}],
    [["hincrby", "h", "big", "-9223372036854775807"], 0],
    [["hincrby", "h", "n2", "-0"], {"err": "ERR value is not an integer or out of range"}],
    [["hincrby", "h", "n2", "+1"], {"err": "ERR value is not an integer or out of range"}],
    [["hgetall", "h"], ["n", "-2", "s", "abc", "q", "-9223372036854775803", "q2", "9223372036854775806", "q3", "-1", "lz", "010", "sp", " 1", "big", "0"]],
    [["hincrby", "newkey", "f", "3"], 3],
    [["hgetall", "newkey"], ["f", "3"]],
  ] },
  { name: "HINCRBYFLOAT in long double", steps: [
    [["hincrbyfloat", "h", "f", "1.5"], "1.5"],
    [["hincrbyfloat", "h", "f", "0.1"], "1.6"],
    [["hincrbyfloat", "h", "w", "0.1"], "0.1"],
    [["hincrbyfloat", "h", "w", "0.2"], "0.3"],
    [["hincrbyfloat", "h", "f", "-1.6"], "0"],
    [["hincrbyfloat", "h", "k", "12345.6789"], "12345.67889999999999961"],
    [["hincrbyfloat", "h", "k2", "123456789012345678901234567890"], "123456789012345678899921813504"],
    [["hincrbyfloat", "h", "k3", "0.1234567890123456789"], "0.12345678901234568"],
    [["hincrbyfloat", "h", "k4", "1e19"], "10000000000000000000"],
    [["hincrbyfloat", "h", "k4", "1"], "10000000000000000001"],
    [["hincrbyfloat", "h", "t", "0.000003814697265625"], "0.00000381469726562"],
    [["hincrbyfloat", "h", "t2", "0.000011444091796875"], "0.00001144409179688"],
    [["hincrbyfloat", "h", "u", "-0.000003814697265625"], "-0.00000381469726562"],
    [["hincrbyfloat", "h", "v", "-1e-30"], "0"],
    [["hincrbyfloat", "h", "m", "-0"], "0"],
    [["hincrbyfloat", "h", "m", "-0"], "0"],
    [["hincrbyfloat", "h", "hx", "0x1.8p1"], "3"],
    [["hincrbyfloat", "h", "hx", "0X1P-2"], "3.25"],
    [["hincrbyfloat", "h", "d", "5."], "5"],
    [["hincrbyfloat", "h", "d", ".5"], "5.5"],
    [["hincrbyfloat", "h", "d", "+.5e1"], "10.5"],
    [["hincrbyfloat", "h", "e", "1e70"], "10000000000000000000222479489586148259025995410601157579323600873193472"],
    [["hincrbyfloat", "h", "i", "10"], "10"],
    [["hincrbyfloat", "h", "i", "3.0e3"], "3010"],
    [["hset", "h", "int", "7"], 1],
    [["hincrbyfloat", "h", "int", "0.5"], "7.5"],
    [["hincrbyfloat", "h", "z", "3.5e-4951"], "0"],
    [["hincrbyfloat", "h", "z3", "1.9e-4951"], "0"],
    [["object", "encoding", "h"], "hashtable"],
    [["hlen", "h"], 18],
    [["hmget", "h", "f", "w", "k", "k2", "k3", "k4", "t", "t2", "u", "v", "m", "hx", "d", "e", "i", "int", "z", "z3"], ["0", "0.3", "12345.67889999999999961", "123456789012345678899921813504", "0.12345678901234568", "10000000000000000001", "0.00000381469726562", "0.00001144409179688", "-0.00000381469726562", "0", "0", "3.25", "10.5", "10000000000000000000222479489586148259025995410601157579323600873193472", "3010", "7.5", "0", "0"]],
  ] },
  { name: "HINCRBYFLOAT errors", steps: [
    [["hset", "h", "s", "abc"], 1],
    [["hset", "h", "inf", "inf"], 1],
    [["hset", "h", "sp", "\"", "5\""], {"err": "ERR wrong number of arguments for 'hset' command"}],
    [["hset", "h", "sp", "  5"], 1],
    [["hset", "h", "nul", "1\u00002"], 1],
    [["hincrbyfloat", "h", "s", "1"], {"err": "ERR hash value is not a float"}],
    [["hincrbyfloat", "h", "inf", "1"], {"err": "ERR increment would produce NaN or Infinity"}],
    [["hincrbyfloat", "h", "sp", "1"], {"err": "ERR hash value is not a float"}],
    [["hincrbyfloat", "h", "nul", "1"], {"err": "ERR hash value is not a float"}],
    [["hincrbyfloat", "h", "f", "inf"], {"err": "ERR value is NaN or Infinity"}],
    [["hincrbyfloat", "h", "f", "-infinity"], {"err": "ERR value is NaN or Infinity"}],
    [["hincrbyfloat", "h", "f", "nan"], {"err": "ERR value is not a valid float"}],
    [["hincrbyfloat", "h", "f", "abc"], {"err": "ERR value is not a valid float"}],
    [["hincrbyfloat", "h", "f", "1e"], {"err": "ERR value is not a valid float"}],
    [["hincrbyfloat", "h", "f", "0x"], {"err": "ERR value is not a valid float"}],
    [["hincrbyfloat", "h", "f", " 1"], {"err": "ERR value is not a valid float"}],
    [["hincrbyfloat", "h", "f", "1 "], {"err": "ERR value is not a valid float"}],
    [["hincrbyfloat", "h", "f", ""], {"err": "ERR value is not a valid float"}],
    [["hincrbyfloat", "h", "f", "1\u0000"], {"err": "ERR value is not a valid float"}],
    [["hincrbyfloat", "h", "f", "."], {"err": "ERR value is not a valid float"}],
    [["hincrbyfloat", "h", "f", "1e5000"], {"err": "ERR value is not a valid float"}],
    [["hincrbyfloat", "h", "f", "1.2e4932"], {"err": "ERR value is not a valid float"}],
    [["hincrbyfloat", "h", "f", "1e-5000"], {"err": "ERR value is not a valid float"}],
    [["hincrbyfloat", "h", "f", "1.8e-4951"], {"err": "ERR value is not a valid float"}],
    [["hincrbyfloat", "h", "big", "1.1e4932"], "1099999999999999999974373107528241817659030869279043407734988001817024145106513112504247507989334878520248308281361039478032934883265306874247558219180296632615879769284426144446587301862925949044860103916345584575444940764072805023841127038694056136469796496577126541639538344365510095288710750981114492840403606011035722140950388865380426626956598546884662554156676899849274474003946737153202663113471019038507440355784997612447212190315662150842498356408074864010786635463165434158504462993091203108212159354301043245621277048030590981217752749212401923243127138342167748918430168950395586853357811402450292366170936077374287304280516496791243181744660062034825766801562331288150173113824584687813457202545074014431803319775315998574294061353416922646887741547820181608294728217534644103487399058533712092272305657732870431777406038928081305932744454766811852554655135914113871013315952423872114812576001290757699422940111221911945045555478113741593424829620020501745005161710852074978186012721939150513407866391014807697433774795954470026204995541086095733716024007432033404098852964387711906037511284559079635511511105265001649140398250845901004463286876433863964550221008676952276372763575067911963853973001567055756406569343128045403641205087980394365831369003383371685227603278316511752728825492551800986973888739380062196017445702056808445069966439845998936831463863177685365729564195287455361289677323687699873017110388717240797343316362732376481099624642042706786493959231517121398104419805714616715338680064974161422455804452567918920783640928588852013556050411583586757800270730283623088608996390812328255730910963083908032153603402103429802759514853593616153177067415500911713676922818119941758485502483713233836391339711841574287048214054398466058177648133951583659697856319367061612039944071671309477097363997509664406124665760289811187313097505600091492012780926469541380190748595297191682855137672939243900595892243809281653980678128535594541228440218634574770280704029980829588473167907433901747603664817549052020034363401122401934497142344372734618140572998330462995589527034982774919647972676484630128249232151111400418665059666503407412833853472426302097183776179610563338678157970778598436154852230047505079011474601450756518383098667900525033393730130873831407982398320863044521090953981107647680374498820504991155090311321944715075464093659603368699803397944284348470932230600497140776992039106460467277241357274444180967598387038056950513122745966308365514701933261279467260780160047872244699873110020313983169069446477846410770223000745472326974222305733387182924217259845948288427247030039382730488672890229875724957711454218804526205902529773029920794664316040495109529187373742219119822413974416337644618016902599598961368374895207391065016376787494616448057680729910798524806625099187066004462348989545247911652754375344583008535499532314813905020948248399115016943815715937994396941618435619169772385095396152416767195742049851747613446789499374318798671625381003617099318979921187323092570719108388936497413021570787532233753573732786708918585920746076107959919806474257304522391293937223772917858124175606129639031362747570161480150988788136235047002696138807315834676967498996056893633045100327055704032355749831583184677746838894850303565926247689146391879788439427269920324541554278141768823388006416617704470227965980425854679637276674238801946369896560455431159381910870233417834630593573883650136801998237960628020208247398481757468084566811835562055730279594121590811427373679641364043894097024788364847476979150654114561895755972439261022946239838345042369327640360307656142990885171448040586898198259723915086866804741833530114682089637546435457028154781181140931264907183459409078936729981544306081683010025321003041561883391470801186929063790223066325097692289553470222652062743716817355209725137427212444146559934968597141351682488626743327756829921471593990068872438225701901480173844607644558335922716519091818910648440929906650467666042330589650648201165134007539549842213154851674975025009949919518589140278940864888841740301067579841024563714682594585397073634656151707861040438536974108573443444281454191384584475697323062320067494855247657937783341904958252264900431607261250517735640918806139627134190829662969929928161163150996697459754147389369654546789346295061279066556987634926829726090875108170773496087213988428078725430074999430133270176603727855456303366522730112671767574399401456844648538462547659531008270166403919064525301187429965384383165284377279321704286099496402949518133649750949806158890635637969041636190902934947020628579214382009278904086610444871161338666575623527742889622596223558611437936647589192801663915111889094971481486408327912032020150988471330536026172285448434458991524947597084554968263341074076517000345409674031798358143745760733861343415397393159190284273438760077636163984763308746185933756214688892548733454529957267178522323242088136704"],
    [["hincrbyfloat", "h", "big", "1.1e4932"], {"err": "ERR increment would produce NaN or Infinity"}],
    [["hexists", "h", "f"], 0],
    [["hincrbyfloat", "nokey", "f", "x"], {"err": "ERR value is not a valid float"}],
    [["exists", "nokey"], 0],
  ] },
  { name: "listpack to hashtable on a long field or value, never back", steps: [
    [["hset", "h", "a", "1"], 1],
    [["object", "encoding", "h"], "listpack"],
    [["hset", "h", "b", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"], 1],
    [["object", "encoding", "h"], "listpack"],
    [["hset", "h", "c", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyz"], 1],
    [["object", "encoding", "h"], "hashtable"],
    [["hdel", "h", "c"], 1],
    [["object", "encoding", "h"], "hashtable"],
    [["hset", "h2", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "1"], 1],
    [["object", "encoding", "h2"], "hashtable"],
    [["hset", "h3", "a", "1"], 1],
    [["hsetnx", "h3", "a", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"], 0],
    [["object", "encoding", "h3"], "listpack"],
    [["hsetnx", "h3", "b", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"], 1],
    [["object", "encoding", "h3"], "hashtable"],
    [["hset", "h4", "f", "1"], 1],
    [["hincrbyfloat", "h4", "f", "1e70"], "10000000000000000000222479489586148259025995410601157579323600873193472"],
    [["object", "encoding", "h4"], "hashtable"],
    [["hset", "h5", "f", "1"], 1],
    [["hincrby", "h5", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "1"], 1],
    [["object", "encoding", "h5"], "hashtable"],
    [["hmset", "h6", "a", "1", "b", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"], {"s": "OK"}],
    [["object", "encoding", "h6"], "hashtable"],
  ] },
  { name: "listpack to hashtable past hash-max-listpack-entries", steps: [
    [["config", "set", "hash-max-listpack-entries", "2"], {"s": "OK"}],
    [["hset", "h", "a", "1", "b", "2"], 2],
    [["object", "encoding", "h"], "listpack"],
    [["hset", "h", "c", "3"], 1],
    [["object", "encoding", "h"], "hashtable"],
    [["hdel", "h", "c", "b"], 2],
    [["object", "encoding", "h"], "hashtable"],
    [["hset", "h2", "a", "1", "b", "2"], 2],
    [["config", "set", "hash-max-listpack-entries", "1"], {"s": "OK"}],
    [["hget", "h2", "a"], "1"],
    [["object", "encoding", "h2"], "listpack"],
    [["hset", "h2", "a", "5"], 0],
    [["object", "encoding", "h2"], "hashtable"],
    [["config", "set", "hash-max-listpack-entries", "0"], {"s": "OK"}],
    [["hincrby", "h3", "f", "1"], 1],
    [["object", "encoding", "h3"], "hashtable"],
    [["config", "set", "hash-max-listpack-value", "3"], {"s": "OK"}],
    [["config", "set", "hash-max-listpack-entries", "128"], {"s": "OK"}],
    [["hset", "h4", "abc", "def"], 1],
    [["object", "encoding", "h4"], "listpack"],
    [["hset", "h4", "abcd", "e"], 1],
    [["object", "encoding", "h4"], "hashtable"],
    [["hset", "h5", "a", "1"], 1],
    [["hincrby", "h5", "a", "1000"], 1001],
    [["object", "encoding", "h5"], "hashtable"],
    [["hincrbyfloat", "h6", "a", "1.25"], "1.25"],
    [["object", "encoding", "h6"], "hashtable"],
  ] },
  { name: "HRANDFIELD deterministic answers", steps: [
    [["hset", "h", "a", "1", "b", "2", "c", "3"], 3],
    [["hrandfield", "nokey"], null],
    [["hrandfield", "nokey", "5"], []],
    [["hrandfield", "nokey", "-5", "withvalues"], []],
    [["hrandfield", "h", "0"], []],
    [["hrandfield", "h", "0", "withvalues"], []],
    [["hrandfield", "h", "3"], ["a", "b", "c"]],
    [["hrandfield", "h", "10", "WITHVALUES"], ["a", "1", "b", "2", "c", "3"]],
    [["hrandfield", "h", "-9223372036854775808"], {"err": "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"}],
    [["hrandfield", "h", "9223372036854775807"], ["a", "b", "c"]],
    [["hrandfield", "h", "9223372036854775807", "withvalues"], {"err": "ERR value is out of range"}],
    [["hrandfield", "h", "4611686018427387904", "withvalues"], {"err": "ERR value is out of range"}],
    [["hrandfield", "h", "-4611686018427387904", "withvalues"], {"err": "ERR value is out of range"}],
    [["hrandfield", "h", "1", "withvalue"], {"err": "ERR syntax error"}],
    [["hrandfield", "h", "1", "withvalues", "x"], {"err": "ERR syntax error"}],
    [["hrandfield", "h", "abc"], {"err": "ERR value is not an integer or out of range"}],
    [["hrandfield", "nokey", "abc"], {"err": "ERR value is not an integer or out of range"}],
    [["hrandfield", "nokey", "1", "foo"], {"err": "ERR syntax error"}],
    [["hrandfield", "h", "1.5"], {"err": "ERR value is not an integer or out of range"}],
    [["hrandfield", "h", "9223372036854775808"], {"err": "ERR value is not an integer or out of range"}],
  ] },
  { name: "HSCAN", steps: [
    [["hset", "h", "a", "1", "b", "2", "c", "3", "ab", "4"], 4],
    [["hscan", "h", "0"], ["0", ["a", "1", "b", "2", "c", "3", "ab", "4"]]],
    [["hscan", "h", "0", "match", "a*"], ["0", ["a", "1", "ab", "4"]]],
    [["hscan", "h", "0", "count", "1"], ["0", ["a", "1", "b", "2", "c", "3", "ab", "4"]]],
    [["hscan", "h", "0", "MATCH", "*b", "COUNT", "100"], ["0", ["b", "2", "ab", "4"]]],
    [["hscan", "nokey", "0"], ["0", []]],
    [["hscan", "nokey", "0", "foo"], ["0", []]],
    [["hscan", "h", "0", "foo"], {"err": "ERR syntax error"}],
    [["hscan", "h", "abc"], {"err": "ERR invalid cursor"}],
    [["hscan", "nokey", "abc"], {"err": "ERR invalid cursor"}],
    [["hscan", "h", "0", "count", "0"], {"err": "ERR syntax error"}],
    [["hscan", "h", "0", "count", "-1"], {"err": "ERR syntax error"}],
    [["hscan", "h", "0", "count", "x"], {"err": "ERR value is not an integer or out of range"}],
    [["hscan", "h", "0", "match"], {"err": "ERR syntax error"}],
    [["hscan", "h", "0", "type", "string"], {"err": "ERR syntax error"}],
    [["hscan", "h", "18446744073709551616"], {"err": "ERR invalid cursor"}],
  ] },
];
