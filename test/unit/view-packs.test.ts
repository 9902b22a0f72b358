import { describe, expect, it } from 'vitest';
import { createProjector } from '../../server/game/view.js';
import { packViews, unpackViews } from '../../server/realtime/view-packs.js';
import type { RoomView } from '../../shared/protocol/views.js';
import { Harness } from '../helpers/harness.js';
import { makeBank } from '../helpers/questions.js';

const bank = makeBank(6);

/** The views one broadcast of a 200-player Classic room makes, at each phase. */
function broadcasts(): RoomView[][] {
  const h = new Harness(bank, { mode: 'classic', timeLimitSec: 30, questionCount: 2 }, { maxPlayers: 500 });
  const ids = h.join(...Array.from({ length: 200 }, (_, i) => `P${i}`));
  const views = () => {
    const project = createProjector(h.state, h.now);
    return [project('host', null), ...ids.map((id) => project('player', id))];
  };
  const lobby = views();
  h.host('start');
  const question = views();
  ids.slice(0, 150).forEach((id, i) => h.answer(id, i % 3 === 0 ? h.wrong : h.correct));
  h.host('reveal');
  const reveal = views();
  h.host('next');
  h.host('next');
  h.host('end');
  return [lobby, question, reveal, views()];
}

describe('view packs (one message per node for a broadcast)', () => {
  it('gives every socket exactly its own view back, in every phase', () => {
    for (const views of broadcasts()) {
      const sent = views.map((v, i) => [`s${i}`, v] as [string, RoomView]);
      // Through the wire as between nodes (the adapter serialises it).
      const pack = JSON.parse(JSON.stringify(packViews('node-b', sent)));
      expect(pack.to).toBe('node-b');
      const received = unpackViews(pack);
      expect(received.map(([id]) => id)).toEqual(sent.map(([id]) => id));
      expect(received.map(([, v]) => JSON.stringify(v))).toEqual(sent.map(([, v]) => JSON.stringify(v)));
    }
  });

  it('sends the room once: a player adds only what is theirs', () => {
    const question = broadcasts()[1]!;
    const players = question.slice(1).map((v, i) => [`s${i}`, v] as [string, RoomView]);
    const pack = packViews('node-b', players);
    const whole = players.reduce((n, [, v]) => n + JSON.stringify(v).length, 0);
    expect(JSON.stringify(pack).length).toBeLessThan(whole / 4);
    for (const [, differs] of pack.views.slice(1)) expect(Object.keys(differs).sort()).toEqual(['me']);
  });
});
