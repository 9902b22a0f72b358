import { RoomSettingsSchema, type RoomSettingsPatch } from '../../shared/settings.js';
import { createRoomState } from '../game/state.js';
import { Room, type RoomDeps, type RoomSnapshot } from './room.js';
import { hashSecret, newRoomCode, newSecret } from './tokens.js';

/** What every room gets (snapshots live as long as an idle room), plus the registry's own limits. */
export interface RegistryOptions extends Omit<RoomDeps, 'snapshotTtlMs'> {
  roomCap: number;
  idleMs: number;
  defaultBuzzCapMs: number;
  /** How long a dropped player still counts as present (see RoomState.presenceGraceMs). */
  presenceGraceMs?: number;
  /** A room closed for good (its lease can go). */
  onClosed?: (code: string) => void;
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

  codes(): string[] {
    return [...this.rooms.keys()];
  }

  all(): Room[] {
    return [...this.rooms.values()];
  }

  /** A code no room on this node uses; cluster-wide uniqueness is the lease's job. */
  freshCode(): string {
    let code = newRoomCode();
    while (this.rooms.has(code)) code = newRoomCode();
    return code;
  }

  /** Runs a room from another node's snapshot (takeover). */
  adopt(snap: RoomSnapshot): Room {
    const room = Room.restore(snap, this.roomDeps());
    this.rooms.set(room.code, room);
    return room;
  }

  /** Forgets a room without closing it (it moved to another node). */
  remove(code: string): Room | undefined {
    const room = this.rooms.get(code);
    this.rooms.delete(code);
    return room;
  }

  private roomDeps(): RoomDeps {
    const { roomCap: _cap, idleMs, defaultBuzzCapMs: _buzz, onClosed: _closed, presenceGraceMs: _grace, ...roomDeps } = this.opts;
    return { ...roomDeps, snapshotTtlMs: idleMs + 10 * 60_000 };
  }

  create(patch: RoomSettingsPatch = {}, code = this.freshCode()): CreateResult {
    const settings = RoomSettingsSchema.safeParse({ buzzCompensationCapMs: this.opts.defaultBuzzCapMs, ...patch });
    if (!settings.success) {
      const issue = settings.error.issues[0];
      return { ok: false, message: issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid settings' };
    }
    const hostToken = newSecret();
    const now = this.opts.clock.now();
    const seed = Number.parseInt(hashSecret(code + hostToken).slice(0, 8).replace(/[^0-9a-f]/gi, '0'), 16) >>> 0;
    const state = createRoomState({
      code,
      seed,
      now,
      settings: settings.data,
      maxPlayers: this.opts.roomCap,
      ...(this.opts.presenceGraceMs !== undefined ? { presenceGraceMs: this.opts.presenceGraceMs } : {}),
    });
    const room = new Room(state, hashSecret(hostToken), this.roomDeps());
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
        this.opts.onClosed?.(room.code);
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
