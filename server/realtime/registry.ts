import { RoomSettingsSchema, type RoomSettingsPatch } from '../../shared/settings.js';
import type { Reducer } from '../game/reducer.js';
import { createRoomState } from '../game/state.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Store } from '../storage/types.js';
import { Room, type Outbox, type ProfiledAnswer } from './room.js';
import { hashSecret, newRoomCode, newSecret } from './tokens.js';

export interface RegistryOptions {
  onProfiledAnswers?: (answers: ProfiledAnswer[]) => Promise<void>;
  reduce: Reducer;
  clock: Clock;
  store: Store;
  log: Logger;
  outbox: Outbox;
  roomCap: number;
  idleMs: number;
  defaultBuzzCapMs: number;
  broadcastThrottleMs?: number;
}

export type CreateResult = { ok: true; room: Room; hostToken: string } | { ok: false; message: string };

/** The rooms this process runs, by code; rooms idle longer than `idleMs` are closed by the sweep. */
export class RoomRegistry {
  private rooms = new Map<string, Room>();
  private sweepTimer: unknown = null;

  constructor(private readonly opts: RegistryOptions) {}

  get size(): number {
    return this.rooms.size;
  }

  get(code: string): Room | undefined {
    return this.rooms.get(code);
  }

  create(patch: RoomSettingsPatch = {}): CreateResult {
    const settings = RoomSettingsSchema.safeParse({ buzzCompensationCapMs: this.opts.defaultBuzzCapMs, ...patch });
    if (!settings.success) {
      const issue = settings.error.issues[0];
      return { ok: false, message: issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid settings' };
    }
    let code = newRoomCode();
    while (this.rooms.has(code)) code = newRoomCode();
    const hostToken = newSecret();
    const now = this.opts.clock.now();
    const seed = Number.parseInt(hashSecret(code + hostToken).slice(0, 8).replace(/[^0-9a-f]/gi, '0'), 16) >>> 0;
    const state = createRoomState({ code, seed, now, settings: settings.data, maxPlayers: this.opts.roomCap });
    const room = new Room(state, hashSecret(hostToken), {
      reduce: this.opts.reduce,
      clock: this.opts.clock,
      store: this.opts.store,
      log: this.opts.log,
      outbox: this.opts.outbox,
      snapshotTtlMs: this.opts.idleMs + 10 * 60_000,
      ...(this.opts.onProfiledAnswers ? { onProfiledAnswers: this.opts.onProfiledAnswers } : {}),
      ...(this.opts.broadcastThrottleMs !== undefined ? { broadcastThrottleMs: this.opts.broadcastThrottleMs } : {}),
    });
    this.rooms.set(code, room);
    this.opts.log.info({ room: code, mode: state.settings.mode }, 'room created');
    return { ok: true, room, hostToken };
  }

  /** Closes rooms nobody has touched for `idleMs`. */
  sweep(): void {
    const now = this.opts.clock.now();
    for (const room of [...this.rooms.values()]) {
      if (now - room.lastActivity >= this.opts.idleMs) {
        room.close('expired');
        this.rooms.delete(room.code);
        this.opts.log.info({ room: room.code }, 'room expired');
      }
    }
  }

  startSweeping(everyMs = 30_000): void {
    const tick = () => {
      this.sweep();
      this.sweepTimer = this.opts.clock.setTimer(tick, everyMs);
    };
    this.sweepTimer = this.opts.clock.setTimer(tick, everyMs);
  }

  async stop(): Promise<void> {
    if (this.sweepTimer !== null) this.opts.clock.clearTimer(this.sweepTimer);
    this.sweepTimer = null;
    await Promise.all([...this.rooms.values()].map((r) => r.flushed()));
  }
}
