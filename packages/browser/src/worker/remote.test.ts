import { describe, expect, it } from 'vitest';
import { PROTOCOL, type ChannelMessage } from '../protocol.ts';
import { createRemote } from './remote.ts';

function follower() {
  const sent: ChannelMessage[] = [];
  const remote = createRemote((m) => sent.push(m), 'me');
  return { sent, remote };
}

describe('the follower side of the channel', () => {
  it('sends requests to the owner with its protocol and resolves them with the answer', async () => {
    const { sent, remote } = follower();
    remote.receive({ t: 'owner', owner: 'o1', ready: true, protocol: PROTOCOL });
    const answer = remote.request({ op: 'flush' });
    expect(sent).toEqual([{ t: 'req', to: 'o1', from: 'me', id: 1, req: { op: 'flush' }, protocol: PROTOCOL }]);
    remote.receive({ t: 'res', to: 'me', id: 1, ok: true, value: 'done' });
    await expect(answer).resolves.toBe('done');
  });

  it('sends nothing to an owner of another build, and says so', async () => {
    const { sent, remote } = follower();
    remote.receive({ t: 'owner', owner: 'o1', ready: true, protocol: PROTOCOL + 1 });
    await expect(remote.request({ op: 'flush' })).rejects.toMatchObject({
      code: 'VERSION_MISMATCH',
      message: expect.stringMatching(new RegExp(`^VERSION_MISMATCH This tab runs Larder protocol ${PROTOCOL} and the tab that owns the store runs protocol ${PROTOCOL + 1}: .*Reload the tabs of the older build`)),
    });
    // An owner from before versions were announced sends none.
    remote.receive({ t: 'owner', owner: 'o2', ready: true } as unknown as ChannelMessage);
    await expect(remote.request({ op: 'flush' })).rejects.toMatchObject({ message: expect.stringContaining('runs protocol unknown') });
    const requests = (): ChannelMessage[] => sent.filter((m) => m.t === 'req');
    expect(requests()).toEqual([]);
    // A later owner of this build is served again.
    remote.receive({ t: 'owner', owner: 'o3', ready: true, protocol: PROTOCOL });
    void remote.request({ op: 'flush' });
    expect(requests()).toHaveLength(1);
  });

  it('asks an owner of an older build, once, to hand the store over; never one of this build or a newer one', () => {
    const { sent, remote } = follower();
    remote.receive({ t: 'owner', owner: 'o1', ready: false, protocol: PROTOCOL - 1 });
    remote.receive({ t: 'owner', owner: 'o1', ready: true, protocol: PROTOCOL - 1 });
    // A build from before versions were announced is older too (it ignores the message).
    remote.receive({ t: 'owner', owner: 'o2', ready: true } as unknown as ChannelMessage);
    remote.receive({ t: 'owner', owner: 'o3', ready: true, protocol: PROTOCOL });
    remote.receive({ t: 'owner', owner: 'o4', ready: true, protocol: PROTOCOL + 1 });
    expect(sent).toEqual([
      { t: 'yield', to: 'o1', from: 'me', protocol: PROTOCOL },
      { t: 'yield', to: 'o2', from: 'me', protocol: PROTOCOL },
    ]);
  });

  it('fails requests in flight with OWNER_LOST when another owner takes over', async () => {
    const { remote } = follower();
    remote.receive({ t: 'owner', owner: 'o1', ready: true, protocol: PROTOCOL });
    const inFlight = remote.request({ op: 'flush' });
    expect(remote.receive({ t: 'owner', owner: 'o2', ready: false, protocol: PROTOCOL })).toBe(true);
    await expect(inFlight).rejects.toMatchObject({ code: 'OWNER_LOST' });
  });
});
