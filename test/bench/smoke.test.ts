import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** The benchmark works end to end and its correctness counts hold. No speed is asserted here. */
describe('npm run bench -- --quick', () => {
  it('runs interleaved rounds, every scenario on both stores, the keynote room and two nodes with nothing lost, late or doubled', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cca-bench-')), 'bench.json');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--json', file], { encoding: 'utf8', timeout: 420_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('== summary');
    const out = JSON.parse(readFileSync(file, 'utf8'));
    expect(out.machine.cores).toBeGreaterThan(0);
    const isSummary = (s: Summary) => expect(s).toMatchObject({ count: expect.any(Number), p50: expect.any(Number), p95: expect.any(Number), p99: expect.any(Number), max: expect.any(Number) });

    for (const target of ['memory', 'redis']) {
      const r = out.results[target];
      isSummary(r.manyRooms.broadcast);
      isSummary(r.manyRooms.ack);
      expect(r.manyRooms.errors).toBe(0);
      expect(r.manyRooms.answers).toBe(out.size.rooms * out.size.players * out.size.questions);
      expect(r.manyRooms.cpuCores).toBeGreaterThan(0);
      expect(r.manyRooms.peakRssMb).toBeGreaterThan(0);
      expect(r.manyRooms.cpuSeconds).toBeGreaterThan(0);
      expect(r.manyRooms.load).toMatchObject({ machineCores: expect.any(Number), benchCores: expect.any(Number), foreignCores: expect.any(Number), stealCores: expect.any(Number), disturbed: expect.any(Boolean) });
      const ratios = out.manyRooms.all.ratios[target];
      for (const k of ['ackP99', 'broadcastP99', 'cpuPerAnswer', 'cpuPerView']) expect(ratios[k], k).toEqual(expect.any(Number));
      expect(out.manyRooms.all.targets[target].cpuPer1000Answers).toBeGreaterThan(0);

      const big = r.bigRoom;
      expect(big.lost).toBe(0);
      expect(big.lateAccepted).toBe(0);
      expect(big.doubleCounted).toBe(0);
      expect(big.unexpected).toEqual({});
      expect(big.serverAccepted).toBe(big.botAccepted);
      expect(big.botAccepted + big.lateRejected).toBe(out.size.big);
      expect(big.lateRejected).toBeGreaterThan(0);
      expect(big.duplicatesRejected).toBeGreaterThan(0);

      for (const storm of [r.buzzStorm.compensationOn, r.buzzStorm.compensationOff]) {
        expect(storm.errors).toBe(0);
        expect(storm.buzzWinner.count).toBe(out.size.buzzRooms * out.size.buzzQuestions);
      }
    }
    isSummary(out.results.baseline.manyRooms.broadcast);

    // Interleaved rounds: every round ran every target; a disturbed round is one the load says so.
    expect(out.rounds).toHaveLength(out.size.rounds);
    for (const round of out.rounds) {
      expect(Object.keys(round.targets).sort()).toEqual(['baseline', 'memory', 'redis']);
      expect(round.disturbed).toBe(Object.values(round.targets).some((t: any) => t.load.disturbed));
    }
    expect(out.manyRooms.disturbedRounds).toEqual(out.rounds.filter((r: any) => r.disturbed).map((r: any) => r.round));

    // The keynote room at a small size: both sides, every on-time answer counted once and acked in time.
    const k = out.results.keynote;
    for (const side of [k.baseline, k.cluster]) {
      isSummary(side.ack);
      isSummary(side.reveal);
      isSummary(side.leaderboard);
      expect(side.players).toBe(out.size.keynote);
      expect(side.unexpected).toEqual({});
      expect(side.duplicatesRejected).toBeGreaterThan(0);
      expect(side.ackedLaterThan3s).toBe(0);
      expect(side.reveal.count).toBe(out.size.keynote);
      expect(side.memoryPerPlayerKb).toEqual(expect.any(Number));
    }
    expect(k.cluster.nodes).toBe(2);
    expect(k.cluster.lost).toBe(0);
    expect(k.cluster.lateAccepted).toBe(0);
    expect(k.cluster.doubleCounted).toBe(0);
    expect(k.cluster.lateRejected).toBeGreaterThan(0);
    expect(k.cluster.serverAccepted).toBe(k.cluster.botAccepted);
    expect(k.cluster.botAccepted + k.cluster.lateRejected).toBe(out.size.keynote);
    expect(k.ratios.ackP99).toEqual(expect.any(Number));

    // Two nodes: the owner SIGKILLed mid-question; every room plays on with nothing lost or doubled.
    const nodes = out.results.twoNodes;
    expect(nodes.errors).toBe(0);
    expect(nodes.completedScoresLost).toBe(0);
    expect(nodes.doubleCounted).toBe(0);
    expect(nodes.resumeMs.count).toBe(out.size.nodeRooms);
    expect(nodes.firstAnswerMs.max).toBeLessThan(10_000);
    isSummary(nodes.ack.forwarded);
    isSummary(nodes.broadcast.throughOtherNode);
  }, 480_000);
});
