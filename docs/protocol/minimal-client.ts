/**
 * A minimal cca-quiz client: a host creates a room, one player joins and answers every question,
 * the host reveals and moves on until the podium. Only socket.io-client and the documented events.
 *
 *   npx tsx docs/protocol/minimal-client.ts http://localhost:3000
 *
 * test/integration/minimal-client.test.ts runs it against a real server, so it stays true.
 */
import { io, type Socket } from 'socket.io-client';

type Ack = { ok: true; [field: string]: unknown } | { ok: false; error: { code: string; message: string } };
type View = { phase: string; question: { id: string; choices: string[] | null } | null; me: { score: number } | null; final: { podium: { name: string; score: number }[] } | null };

const PROTOCOL = 1;

/** Every client event is one JSON object plus an acknowledgement callback. */
async function call(socket: Socket, event: string, payload: object): Promise<Ack & { ok: true }> {
  const ack = (await socket.timeout(5_000).emitWithAck(event, payload)) as Ack;
  if (!ack.ok) throw new Error(`${event}: ${ack.error.code} (${ack.error.message})`);
  return ack;
}

/** Resolves with the first `room:view` (pushed after every change) that passes `test`. */
function nextView(socket: Socket, test: (v: View) => boolean): Promise<View> {
  return new Promise((resolve) => {
    const listener = (v: View) => {
      if (!test(v)) return;
      socket.off('room:view', listener);
      resolve(v);
    };
    socket.on('room:view', listener);
  });
}

function connect(url: string): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'] });
  // The server times its own pings for buzz fairness: answer them at once.
  socket.on('net:ping', (_serverTime: number, ack: (echo: number) => void) => ack(Date.now()));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

export async function playOneGame(url: string, log: (line: string) => void = console.log): Promise<{ podium: { name: string; score: number }[] }> {
  const host = await connect(url);
  const player = await connect(url);
  try {
    const created = await call(host, 'room:create', { protocol: PROTOCOL, settings: { mode: 'classic', questionCount: 2, getReadySec: 0 } });
    const code = created.code as string;
    log(`room ${code}`);
    // Keep sessionToken: `room:resume` with it gets the seat back after a drop.
    const joined = await call(player, 'room:join', { protocol: PROTOCOL, code, nickname: 'Minimal' });
    log(`joined as ${joined.playerId as string}`);

    const firstQuestion = nextView(player, (v) => v.phase === 'question' && v.question?.choices != null);
    await call(host, 'host:command', { command: 'start' });
    let view = await firstQuestion;
    for (;;) {
      const question = view.question!;
      // Listen before sending: the view that follows an answer can arrive before its ack.
      const revealed = nextView(player, (v) => v.phase === 'reveal');
      const receipt = await call(player, 'player:answer', { questionId: question.id, choices: [0] });
      log(`answered ${question.id} at server time ${receipt.receivedAt as number}`);
      // Everyone answered, so the question closes. On a reveal the host's first `next` shows the
      // leaderboard, the second opens the next question (or finishes the game).
      await revealed;
      await call(host, 'host:command', { command: 'next' });
      const after = nextView(player, (v) => v.phase === 'finished' || (v.phase === 'question' && v.question?.id !== question.id && v.question?.choices != null));
      await call(host, 'host:command', { command: 'next' });
      view = await after;
      if (view.phase === 'finished') break;
    }
    const podium = view.final!.podium.map((p) => ({ name: p.name, score: p.score }));
    log(`podium: ${podium.map((p) => `${p.name} ${p.score}`).join(', ')}`);
    return { podium };
  } finally {
    host.close();
    player.close();
  }
}

if (process.argv[1]?.endsWith('minimal-client.ts')) {
  playOneGame(process.argv[2] ?? 'http://localhost:3000').then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
