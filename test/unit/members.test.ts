import { describe, expect, it } from 'vitest';
import { Members } from '../../server/realtime/members.js';
import type { Member } from '../../server/realtime/room.js';

const player = (socketId: string, playerId: string): Member => ({ socketId, nodeId: 'n1', role: 'player', playerId });
const host = (socketId: string): Member => ({ socketId, nodeId: 'n1', role: 'host', playerId: null });

describe("a room's members by socket and by seat", () => {
  it('finds a seat’s sockets, forgets them as they go, and keeps hosts and players apart', () => {
    const m = new Members();
    m.set(host('h1'));
    m.set(player('s1', 'ana'));
    m.set(player('s2', 'ana'));
    m.set(player('s3', '__proto__'));
    expect(m.ofSeat('player', 'ana').map((x) => x.socketId)).toEqual(['s1', 's2']);
    expect(m.ofSeat('host', null).map((x) => x.socketId)).toEqual(['h1']);
    expect(m.ofSeat('player', '__proto__').map((x) => x.socketId)).toEqual(['s3']);
    expect(m.ofSeat('player', 'constructor')).toEqual([]);
    expect(m.delete('s1')?.playerId).toBe('ana');
    expect(m.delete('s1')).toBeUndefined();
    expect(m.ofSeat('player', 'ana').map((x) => x.socketId)).toEqual(['s2']);
    // A socket set again for another seat leaves its old one.
    m.set(player('s2', 'ben'));
    expect(m.ofSeat('player', 'ana')).toEqual([]);
    expect(m.ofSeat('player', 'ben').map((x) => x.socketId)).toEqual(['s2']);
    expect(m.size).toBe(3);
    m.clear();
    expect([...m.values()]).toEqual([]);
    expect(m.ofSeat('player', 'ben')).toEqual([]);
  });
});
