import { RoomSettingsSchema, type RoomSettingsPatch } from '../../shared/settings.js';
import { createRoomState } from '../game/state.js';
import { Room, type RoomDeps } from './room.js';
import { hashSecret, newRoomCode, newSecret } from './tokens.js';

/** What every room gets (snapshots live as long as an idle room), plus the registry's own limits. */
export interface RegistryOptions extends Omit<RoomDeps, 'snapshotTtlMs'> {
  roomCap: number;
  idleMs: number;
  defaultBuzzCapMs: number;
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
    const { roomCap: _cap, idleMs, defaultBuzzCapMs: _buzz, ...roomDeps } = this.opts;
    const room = new Room(state, hashSecret(hostToken), { ...roomDeps, snapshotTtlMs: idleMs + 10 * 60_000 });
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
