/**
 * The error reply class, on its own so that page-side clients (which decode replies but never build
 * Redis's error texts) do not bundle errors.ts.
 */
/** An error reply. `message` is the full Redis text, prefix included (`ERR ...`, `WRONGTYPE ...`). */
export class ReplyError extends Error {
  override name = 'ReplyError';
  /** The first word of the message: `ERR`, `WRONGTYPE`, `EXECABORT`, ... */
  get prefix(): string {
    const i = this.message.indexOf(' ');
    return i < 0 ? this.message : this.message.slice(0, i);
  }
}
