import type { Member } from './room.js';

/**
 * A room's sockets, by socket and by seat (a role and its player). Joins, drops and seat
 * replacement ask "which sockets does this seat have?": in a 10,000-phone room a scan of every
 * socket per question made a Wi-Fi blip's thousands of drops (and their returns) quadratic.
 */
export class Members {
  private readonly bySocket = new Map<string, Member>();
  private readonly bySeat = new Map<string, Set<string>>();

  get size(): number {
    return this.bySocket.size;
  }

  get(socketId: string): Member | undefined {
    return this.bySocket.get(socketId);
  }

  has(socketId: string): boolean {
    return this.bySocket.has(socketId);
  }

  values(): IterableIterator<Member> {
    return this.bySocket.values();
  }

  set(member: Member): void {
    this.delete(member.socketId);
    this.bySocket.set(member.socketId, member);
    const key = seatKey(member.role, member.playerId);
    const sockets = this.bySeat.get(key);
    if (sockets) sockets.add(member.socketId);
    else this.bySeat.set(key, new Set([member.socketId]));
  }

  delete(socketId: string): Member | undefined {
    const member = this.bySocket.get(socketId);
    if (!member) return undefined;
    this.bySocket.delete(socketId);
    const key = seatKey(member.role, member.playerId);
    const sockets = this.bySeat.get(key);
    sockets?.delete(socketId);
    if (sockets?.size === 0) this.bySeat.delete(key);
    return member;
  }

  /** The sockets of one seat: a player's (by their id), or the host's (`playerId` null). */
  ofSeat(role: Member['role'], playerId: string | null): Member[] {
    return [...(this.bySeat.get(seatKey(role, playerId)) ?? [])].map((id) => this.bySocket.get(id)!);
  }

  clear(): void {
    this.bySocket.clear();
    this.bySeat.clear();
  }
}

const seatKey = (role: Member['role'], playerId: string | null) => `${role}:${playerId ?? ''}`;
