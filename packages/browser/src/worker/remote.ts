/**
 * The follower's side of the channel: requests forwarded to the owner, answers matched by id.
 *
 * A request is addressed to the owner known when it was sent. When another owner announces itself
 * (the old one's tab closed or died), requests still unanswered are rejected with OWNER_LOST: the
 * old owner may have applied them before it went away, so retrying is the caller's decision (safe
 * for SET, not for INCR). Requests made while no owner is known wait for one. An owner of another
 * build (its PROTOCOL differs) gets no requests: they fail with VERSION_MISMATCH; an owner of an
 * older build is asked once to hand the store over (`yield`), so that after a deploy the newest
 * build ends up owning it and the tabs left on the old one are those told to reload.
 */
import { errorFromWire, LarderError } from '@larder/core/client';
import { PROTOCOL, versionMismatch, type ChannelMessage, type Request } from '../protocol.ts';

interface Pending {
  owner: string;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

export interface Remote {
  readonly owner: string | undefined;
  request(req: Request): Promise<unknown>;
  /** A message from the channel that concerns followers; returns true when the owner changed. */
  receive(m: ChannelMessage): boolean;
  /** Rejects everything pending (this worker closes or becomes the owner). */
  abandon(reason: string): void;
}

/** `onMismatch`: an owner of another build announced itself (its PROTOCOL, null when it sent none). */
export function createRemote(
  post: (m: ChannelMessage) => void, self: string, onMismatch?: (owner: string, protocol: number | null) => void,
): Remote {
  let owner: string | undefined;
  /** The owner's PROTOCOL, when it is not ours. */
  let foreign: number | null | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const waiting: Array<() => void> = [];

  const send = (req: Request, to: string): Promise<unknown> =>
    foreign !== undefined
      ? Promise.reject(versionMismatch(PROTOCOL, foreign))
      : new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { owner: to, resolve, reject });
        post({ t: 'req', to, from: self, id, req, protocol: PROTOCOL });
      });

  const lost = (): LarderError =>
    new LarderError(
      'LarderError',
      'OWNER_LOST',
      'OWNER_LOST The tab that owned the store went away while this call was in flight; it may or may not ' +
        'have been applied. Another tab has taken over: retry if the call is safe to repeat.',
    );

  return {
    get owner() {
      return owner;
    },
    request(req) {
      if (owner !== undefined) return send(req, owner);
      return new Promise<void>((r) => waiting.push(r)).then(() => send(req, owner!));
    },
    receive(m) {
      if (m.t === 'res') {
        if (m.to !== self) return false;
        const p = pending.get(m.id);
        if (p === undefined) return false;
        pending.delete(m.id);
        if (m.ok) p.resolve(m.value);
        else p.reject(errorFromWire(m.error));
        return false;
      }
      if (m.t !== 'owner' || m.owner === owner) return false;
      const previous = owner;
      owner = m.owner;
      // null: a build from before versions were announced.
      foreign = m.protocol === PROTOCOL ? undefined : (m.protocol ?? null);
      if (foreign !== undefined) {
        onMismatch?.(owner, foreign);
        if (foreign === null || foreign < PROTOCOL) post({ t: 'yield', to: owner, from: self, protocol: PROTOCOL });
      }
      for (const [id, p] of pending) {
        if (p.owner === owner) continue;
        pending.delete(id);
        p.reject(lost());
      }
      for (const w of waiting.splice(0, waiting.length)) w();
      return previous !== undefined;
    },
    abandon(reason) {
      for (const p of pending.values()) p.reject(new LarderError('LarderError', 'CLOSED', reason));
      pending.clear();
      owner = undefined;
    },
  };
}
