/**
 * Runs `fn` on a later task, as Node's setImmediate does. The group commit of appendfsync always
 * is scheduled with it: setTimeout(0) would be clamped to 4 ms once nested, which would cap a
 * worker at ~250 flushes per second. A MessageChannel message is a task with no clamp.
 */
const queue: Array<() => void> = [];
let channel: MessageChannel | undefined;

export function macrotask(fn: () => void): void {
  if (channel === undefined) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const fns = queue.splice(0, queue.length);
      for (const f of fns) f();
    };
  }
  queue.push(fn);
  // One message per batch: the functions queued before it runs share it.
  if (queue.length === 1) channel.port2.postMessage(0);
}
