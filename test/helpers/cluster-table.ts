/** A room whose host and players sit on different server nodes (for the cluster tests and the benchmark). */
import { PROTOCOL_VERSION } from '../../shared/protocol/version.js';
import type { RoomView } from '../../shared/protocol/views.js';
import { Bot } from './bot.js';

export interface Seat {
  name: string;
  bot: Bot;
  sessionToken: string;
  playerId: string;
  /** The node the seat's socket is connected to. */
  url: string;
}

export interface ClusterTable {
  code: string;
  hostToken: string;
  host: Bot;
  seats: Seat[];
}

/** A host on `hostUrl` opens a room; each player joins through the node given next to their name. */
export async function seatTable(hostUrl: string, players: [name: string, url: string][], settings: object): Promise<ClusterTable> {
  const host = await Bot.connect(hostUrl);
  const created = await host.call('room:create', { protocol: PROTOCOL_VERSION, settings: { getReadySec: 0, ...settings } });
  if (!created.ok) throw new Error(created.error.message);
  const seats: Seat[] = [];
  for (const [name, url] of players) {
    const bot = await Bot.connect(url);
    const joined = await bot.call('room:join', { protocol: PROTOCOL_VERSION, code: created.code, nickname: name });
    if (!joined.ok) throw new Error(`${name}: ${joined.error.message}`);
    seats.push({ name, bot, sessionToken: joined.sessionToken, playerId: joined.playerId, url });
  }
  return { code: created.code, hostToken: created.hostToken, host, seats };
}

/** Reconnects a player (new socket, same session token) to `url`, retrying while the room moves. */
export async function resumeSeat(table: ClusterTable, seat: Seat, url: string): Promise<RoomView> {
  seat.bot.close();
  seat.bot = await Bot.connect(url);
  seat.url = url;
  const r = await seat.bot.call('room:resume', { protocol: PROTOCOL_VERSION, code: table.code, sessionToken: seat.sessionToken });
  if (!r.ok) throw new Error(`${seat.name} could not resume: ${r.error.code} ${r.error.message}`);
  return r.view;
}

export async function reattachHost(table: ClusterTable, url: string): Promise<RoomView> {
  table.host.close();
  table.host = await Bot.connect(url);
  const r = await table.host.call('host:attach', { protocol: PROTOCOL_VERSION, code: table.code, hostToken: table.hostToken });
  if (!r.ok) throw new Error(`host could not re-attach: ${r.error.code} ${r.error.message}`);
  return r.view;
}

/** Everyone still seated answers the open question with a choice of their own; returns the acks. */
export async function answerAll(seats: Seat[], view: RoomView) {
  const q = view.question!;
  return Promise.all(seats.map((s, i) => s.bot.call('player:answer', { questionId: q.id, choices: [i % 2] })));
}

/** Moves the host through reveal → leaderboard → next question; resolves with the next question's host view. */
export async function nextQuestion(table: ClusterTable, index: number): Promise<RoomView> {
  for (let i = 0; i < 4; i++) {
    const v = table.host.latest!;
    if (v.phase === 'question' && v.question?.index === index) return v;
    if (v.phase === 'question') await table.host.call('host:command', { command: 'reveal' });
    else await table.host.call('host:command', { command: 'next' });
    await table.host.view((x) => x !== v, 5_000).catch(() => undefined);
  }
  return table.host.view((v) => v.phase === 'question' && v.question?.index === index);
}

