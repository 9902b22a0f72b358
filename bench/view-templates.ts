/**
 * The views the real server sends, per role and phase, for the baseline to send the same bytes: a
 * reveal carries the explanation and every player's result to the host, a host view the whole
 * ranking. Made by the real reducer and projector from a 10-player Classic room.
 */
import { loadBank } from '../questions/loader.js';
import { QuestionBank } from '../server/game/bank.js';
import { createReducer } from '../server/game/reducer.js';
import { createRoomState, type RoomState } from '../server/game/state.js';
import { viewFor } from '../server/game/view.js';
import type { RoomView } from '../shared/protocol/views.js';
import { RoomSettingsSchema } from '../shared/settings.js';

export type Phase = 'lobby' | 'question' | 'reveal' | 'leaderboard';
export type ViewTemplates = Record<'host' | 'player', Record<Phase, RoomView>>;

export async function viewTemplates(): Promise<string> {
  const reduce = createReducer(new QuestionBank(await loadBank()));
  const host = { role: 'host' } as const;
  // No "get ready" count: the answers below come the moment the question opens.
  let s: RoomState = createRoomState({ code: 'ABCDEF', seed: 1, now: 0, settings: RoomSettingsSchema.parse({ getReadySec: 0 }) });
  const at = (phase: Phase) => ({ host: viewFor(s, 'host', null, 0), player: viewFor(s, 'player', 'p0', 0), phase });
  const ids = Array.from({ length: 10 }, (_, i) => `p${i}`);
  for (const id of ids) s = reduce(s, { type: 'join', playerId: id, name: id.toUpperCase() }, 0).state;
  const lobby = at('lobby');
  s = reduce(s, { type: 'start', by: host }, 0).state;
  const question = at('question');
  const q = s.questions[0]!;
  // Half right, half wrong: the closing answer moves the room to the reveal.
  ids.forEach((id, i) => (s = reduce(s, { type: 'answer', playerId: id, questionId: q.question.id, choices: i % 2 ? [...q.solution.answer] : [q.solution.answer[0] === 0 ? 1 : 0] }, 100 + i).state));
  const reveal = at('reveal');
  s = reduce(s, { type: 'next', by: host }, 200).state;
  const leaderboard = at('leaderboard');
  const all = [lobby, question, reveal, leaderboard];
  if (all.some((v) => v.player.phase !== v.phase)) throw new Error(`view templates: phases ${all.map((v) => v.player.phase).join(', ')}`);
  const templates: ViewTemplates = {
    host: Object.fromEntries(all.map((v) => [v.phase, v.host])) as Record<Phase, RoomView>,
    player: Object.fromEntries(all.map((v) => [v.phase, v.player])) as Record<Phase, RoomView>,
  };
  return JSON.stringify(templates);
}
