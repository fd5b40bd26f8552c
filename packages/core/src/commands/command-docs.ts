/**
 * COMMAND DOCS `arguments`, derived from a table entry's one-line syntax (`key value [NX | XX]
 * [EX seconds | PX milliseconds]`) instead of being kept twice. The shapes are Redis 7.0's
 * (name, type, token, flags optional/multiple, nested arguments for `oneof` and `block`); the
 * types are inferred from names, so they are close to Redis's docs, not always equal.
 */
import { MapReply, SetReply, Status, type Reply } from '../reply/reply.ts';

interface Arg {
  name: string;
  type: string;
  token?: string;
  optional?: boolean;
  multiple?: boolean;
  args?: Arg[];
}

type Node = { word: string } | { group: Node[][]; optional: boolean };

function tokenize(syntax: string): string[] {
  return syntax.match(/\[|\]|\(|\)|\||\.\.\.|[^\s[\]()|]+/g) ?? [];
}

/** Parses until `close` (or the end); alternatives split on `|`. */
function parseSeq(tokens: string[], at: { i: number }, close?: string): Node[][] {
  const alts: Node[][] = [[]];
  while (at.i < tokens.length) {
    const t = tokens[at.i++]!;
    if (t === close) break;
    if (t === '|') alts.push([]);
    else if (t === '[' || t === '(') alts[alts.length - 1]!.push({ group: parseSeq(tokens, at, t === '[' ? ']' : ')'), optional: t === '[' });
    else alts[alts.length - 1]!.push({ word: t });
  }
  return alts;
}

const isToken = (w: string): boolean => /^[A-Z][A-Z0-9_-]*$/.test(w);

function typeOfName(name: string): string {
  if (/(^|-)key$|^destination$|^source$/.test(name)) return 'key';
  if (/pattern/.test(name)) return 'pattern';
  if (/^unix-time/.test(name)) return 'unix-time';
  if (/^(score|min|max|increment|weight|timeout|longitude|latitude|radius)$/.test(name)) return 'double';
  if (/^(count|offset|index|start|end|stop|seconds|milliseconds|numkeys|db|cursor|len|limit|rank|pivot|ttl|bit|value-integer|client-id|protover|port|numreplicas)$/.test(name)) return 'integer';
  return 'string';
}

function flatten(alt: Node[]): string {
  return alt.map((n) => ('word' in n ? n.word : '')).join(' ');
}

/** Converts one alternative (a sequence of nodes) into arguments. */
function toArgs(seq: Node[]): Arg[] {
  const out: Arg[] = [];
  for (let i = 0; i < seq.length; i++) {
    const n = seq[i]!;
    if ('word' in n) {
      if (n.word === '...') continue;
      if (isToken(n.word)) {
        const next = seq[i + 1];
        if (next && 'word' in next && !isToken(next.word) && next.word !== '...') {
          out.push({ name: next.word, type: typeOfName(next.word), token: n.word });
          i++;
        } else {
          out.push({ name: n.word.toLowerCase(), type: 'pure-token', token: n.word });
        }
      } else {
        out.push({ name: n.word, type: typeOfName(n.word) });
      }
      continue;
    }
    // `x [x ...]`: the group repeats what precedes it, which becomes `multiple`.
    const only = n.group.length === 1 ? n.group[0]! : undefined;
    if (only && only[only.length - 1] && 'word' in only[only.length - 1]! && (only[only.length - 1] as { word: string }).word === '...') {
      const repeated = toArgs(only.slice(0, -1));
      const tail = out.slice(-repeated.length);
      if (repeated.length > 0 && tail.length === repeated.length && flatten(only.slice(0, -1)) !== '') {
        out.splice(out.length - repeated.length, repeated.length, repeated.length === 1
          ? { ...tail[0]!, multiple: true }
          : { name: tail.map((a) => a.name).join('_'), type: 'block', multiple: true, args: tail });
        continue;
      }
      out.push({ ...(repeated[0] ?? { name: 'arg', type: 'string' }), optional: n.optional, multiple: true });
      continue;
    }
    // `[TYPE NORMAL | MASTER]`: one token introducing a choice of single words.
    const head = n.group[0]!;
    if (n.group.length > 1 && head.length === 2 && 'word' in head[0]! && isToken(head[0].word) &&
        n.group.slice(1).every((a) => a.length === 1)) {
      const token = head[0].word;
      const choices = [[head[1]!], ...n.group.slice(1)].map(toArgs).flat();
      const arg: Arg = { name: token.toLowerCase(), type: 'oneof', token, args: choices };
      if (n.optional) arg.optional = true;
      out.push(arg);
      continue;
    }
    const alts = n.group.map(toArgs).filter((a) => a.length > 0);
    let arg: Arg;
    if (alts.length === 1 && alts[0]!.length === 1) arg = { ...alts[0]![0]! };
    else if (alts.length === 1) arg = { name: alts[0]![0]!.name, type: 'block', args: alts[0]! };
    else arg = {
      name: alts.map((a) => a[0]!.name).join('_'), type: 'oneof',
      args: alts.map((a) => (a.length === 1 ? a[0]! : { name: a[0]!.name, type: 'block', args: a })),
    };
    if (n.optional) arg.optional = true;
    out.push(arg);
  }
  return out;
}

export function parseSyntax(syntax: string): Arg[] {
  const alts = parseSeq(tokenize(syntax), { i: 0 });
  if (alts.length === 1) return toArgs(alts[0]!);
  return [{ name: 'arg', type: 'oneof', args: alts.map(toArgs).flat() }];
}

function argReply(a: Arg, keyIndex: { n: number }): Reply {
  const items: Reply[] = ['name', a.name, 'type', a.type];
  if (a.type === 'key') items.push('key_spec_index', keyIndex.n++);
  if (a.token !== undefined) items.push('token', a.token);
  const flags: Reply[] = [];
  if (a.optional) flags.push(new Status('optional'));
  if (a.multiple) flags.push(new Status('multiple'));
  if (flags.length > 0) items.push('flags', new SetReply(flags));
  if (a.args) items.push('arguments', a.args.map((x) => argReply(x, keyIndex)));
  return new MapReply(items);
}

/** The `arguments` array of COMMAND DOCS for `syntax`. */
export function argumentsReply(syntax: string): Reply[] {
  const keyIndex = { n: 0 };
  return parseSyntax(syntax).map((a) => argReply(a, keyIndex));
}
