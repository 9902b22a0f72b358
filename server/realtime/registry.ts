import { RoomSettingsSchema, type RoomSettingsPatch } from '../../shared/settings.js';
import { createRoomState } from '../game/state.js';
import type { RoomJournal } from '../cluster/journal.js';
import type { LogEntry, RoomSnapshot } from '../cluster/snapshot-schema.js';
import { Room, type RoomDeps } from './room.js';
import { hashSecret, newRoomCode, newSecret } from './tokens.js';

/** What every room gets, plus the registry's own limits. */
export interface RegistryOptions extends RoomDeps {
  roomCap: number;
  idleMs: number;
  defaultBuzzCapMs: number;
  /** How long a dropped player still counts as present (see RoomState.presenceGraceMs). */
  presenceGraceMs?: number;
  /** A room closed for good (its lease can go). */
  onClosed?: (room: Room) => void;
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

  /** Runs a room from its snapshot and the log entries after it (takeover). */
  adopt(snap: RoomSnapshot, entries: LogEntry[], journal: RoomJournal | null): Room {
    const room = Room.restore(snap, entries, this.roomDeps(), journal);
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
    const { roomCap: _cap, idleMs: _idle, defaultBuzzCapMs: _buzz, onClosed: _closed, presenceGraceMs: _grace, ...roomDeps } = this.opts;
    return roomDeps;
  }

  /** `journal`: the new room's log (the directory acquired its lease first); none in memory mode. */
  create(patch: RoomSettingsPatch = {}, code = this.freshCode(), journal: RoomJournal | null = null): CreateResult {
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
    const room = new Room(state, hashSecret(hostToken), this.roomDeps(), journal);
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
        this.opts.onClosed?.(room);
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
