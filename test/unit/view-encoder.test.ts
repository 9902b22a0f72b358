import { Encoder, PacketType } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { createProjector } from '../../server/game/view.js';
import { createViewEncoder } from '../../server/realtime/view-encoder.js';
import type { RoomView } from '../../shared/protocol/views.js';
import { Harness } from '../helpers/harness.js';
import { makeBank } from '../helpers/questions.js';

const bank = makeBank(8);

/** What `socket.emit('room:view', view)` writes: Socket.IO's own encoding. */
const socketIoPacket = (view: RoomView) => new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data: ['room:view', view] });

/** One broadcast's views: the host's and every player's, from one projector (shared parts are shared objects). */
function broadcast(h: Harness, ids: string[]): RoomView[] {
  const project = createProjector(h.state, h.now);
  return [project('host', null), ...ids.map((id) => project('player', id))];
}

function expectSameBytes(views: RoomView[]): void {
  const encode = createViewEncoder();
  for (const view of views) expect([encode(view)]).toEqual(socketIoPacket(view));
}

describe('room views encoded once per broadcast', () => {
  it('writes the very packet Socket.IO would, for every role and phase of a Classic game', () => {
    const h = new Harness(bank, { mode: 'classic', timeLimitSec: 30, questionCount: 2 });
    const ids = h.join('Ana', 'Ben', 'Cai', '__proto__', 'Zoë "quoted"');
    expectSameBytes(broadcast(h, ids));
    h.host('start');
    expectSameBytes(broadcast(h, ids));
    h.answer(ids[0]!, h.correct);
    h.answer(ids[1]!, h.wrong);
    expectSameBytes(broadcast(h, ids));
    h.host('reveal');
    expectSameBytes(broadcast(h, ids));
    h.host('next');
    h.host('next');
    h.host('end');
    expectSameBytes(broadcast(h, ids));
  });

  it('gives the floor holder their own question (choices shown) and the others the shared one', () => {
    const h = new Harness(bank, { mode: 'buzz', wordsPerSecond: 2, timeLimitSec: 20, questionCount: 2, buzzCompensation: false });
    const ids = h.join('Ana', 'Ben', 'Cai');
    h.host('start');
    h.advance(1_000);
    expect(h.buzz(ids[1]!).error).toBeNull();
    const views = broadcast(h, ids);
    expect(views[2]!.question!.choices).not.toBeNull();
    expect(views[1]!.question!.choices).toBeNull();
    expectSameBytes(views);
  });

  it('leaves out undefined fields and keeps per-player parts apart when views share one encoder', () => {
    const h = new Harness(bank, { mode: 'exam', questionCount: 3, examMinutes: 10 });
    const ids = h.join('Ana', 'Ben');
    h.host('start');
    const [host, ana, ben] = broadcast(h, ids) as [RoomView, RoomView, RoomView];
    const { protests: _omitted, ...withoutProtests } = ana;
    const encode = createViewEncoder();
    const packets = [host, ana, ben, { ...withoutProtests, protests: undefined }].map(encode);
    expect(packets.map((p) => JSON.parse(p.slice(1)))).toEqual([host, ana, ben, withoutProtests].map((v) => ['room:view', JSON.parse(JSON.stringify(v))]));
    expect(packets[1]).not.toBe(packets[2]);
  });
});
