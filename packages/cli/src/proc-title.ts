/**
 * `proc-title-template` (Redis 7.0's server.c expandProcTitleTemplate over sds.c sdstemplate):
 * `{name}` is replaced by a variable's value, `{{` stands for `{`, anything else (a lone `}`
 * included) is copied; the result is trimmed of spaces. An unknown name, or a `{` left open or at
 * the end, fails the whole template. CONFIG SET validates a template (server-params.ts);
 * server-process.ts sets the title from it.
 */

export type ProcTitleVariable = 'title' | 'listen-addr' | 'server-mode' | 'port' | 'tls-port' | 'unixsocket' | 'config-file';

/** The expanded title, or undefined when the template is malformed or names an unknown variable. */
export function expandProcTitle(template: string, vars: Readonly<Record<ProcTitleVariable, string>>): string | undefined {
  let out = '';
  for (let p = 0; p < template.length; ) {
    const open = template.indexOf('{', p);
    if (open < 0) {
      out += template.slice(p);
      break;
    }
    out += template.slice(p, open);
    if (open + 1 === template.length) return undefined;
    if (template[open + 1] === '{') {
      out += '{';
      p = open + 2;
      continue;
    }
    const close = template.indexOf('}', open + 1);
    if (close < 0) return undefined;
    const name = template.slice(open + 1, close);
    if (!Object.hasOwn(vars, name)) return undefined;
    out += vars[name as ProcTitleVariable];
    p = close + 1;
  }
  return out.replace(/^ +| +$/g, '');
}

/**
 * What validateProcTitleTemplate expands a template with: an empty title, and what a Larder
 * server has (never a cluster or sentinel mode, never a unix socket); the rest are never empty.
 */
const CHECK: Record<ProcTitleVariable, string> = {
  title: '', 'server-mode': '', unixsocket: '', 'listen-addr': '-', port: '-', 'tls-port': '-', 'config-file': '-',
};

/** The config parser: a template that expands to nothing, as `{title}` alone, is refused too. */
export function procTitleTemplate(v: string): string {
  if (!expandProcTitle(v, CHECK)) throw new Error('template format is invalid or contains unknown variables');
  return v;
}
