/**
 * Interleaved rounds: each round runs every target once (baseline, memory, Redis), so a burst of other
 * work on the machine hits one round, not one target. Per round: each target's p99s and its server's
 * CPU-seconds per 1,000 answers and per 1,000 delivered views, with ratios to that round's baseline;
 * across rounds: the median of each target's figures and the median of the per-round ratios.
 */
import type { MachineLoad } from './machine.js';
import { median, per1000, ratio, type Summary } from './stats.js';

export interface ManyRoomsPass {
  broadcast: Summary;
  ack: Summary;
  answers: number;
  views: number;
  cpuSeconds: number;
  cpuCores: number;
  peakRssMb: number;
  errors: number;
  load: MachineLoad | null;
}

export interface TargetFigures {
  broadcastP99: number;
  ackP99: number;
  cpuPer1000Answers: number | null;
  cpuPer1000Views: number | null;
  cpuCores: number;
  peakRssMb: number;
  errors: number;
  load: MachineLoad | null;
}

export interface RoundRatios {
  broadcastP99: number | null;
  ackP99: number | null;
  cpuPerAnswer: number | null;
  cpuPerView: number | null;
}

export interface Round {
  round: number;
  disturbed: boolean;
  targets: Record<string, TargetFigures>;
  /** memory and redis against this round's baseline. */
  ratios: Record<string, RoundRatios>;
}

export function figures(p: ManyRoomsPass): TargetFigures {
  return {
    broadcastP99: p.broadcast.p99,
    ackP99: p.ack.p99,
    cpuPer1000Answers: per1000(p.cpuSeconds, p.answers),
    cpuPer1000Views: per1000(p.cpuSeconds, p.views),
    cpuCores: p.cpuCores,
    peakRssMb: p.peakRssMb,
    errors: p.errors,
    load: p.load,
  };
}

export function makeRound(round: number, passes: Record<string, ManyRoomsPass>): Round {
  const targets: Record<string, TargetFigures> = {};
  for (const [t, p] of Object.entries(passes)) targets[t] = figures(p);
  const base = targets.baseline;
  const ratios: Record<string, RoundRatios> = {};
  for (const t of Object.keys(targets).filter((t) => t !== 'baseline')) {
    const f = targets[t]!;
    ratios[t] = base
      ? {
          broadcastP99: ratio(f.broadcastP99, base.broadcastP99),
          ackP99: ratio(f.ackP99, base.ackP99),
          cpuPerAnswer: f.cpuPer1000Answers !== null && base.cpuPer1000Answers ? ratio(f.cpuPer1000Answers, base.cpuPer1000Answers) : null,
          cpuPerView: f.cpuPer1000Views !== null && base.cpuPer1000Views ? ratio(f.cpuPer1000Views, base.cpuPer1000Views) : null,
        }
      : { broadcastP99: null, ackP99: null, cpuPerAnswer: null, cpuPerView: null };
  }
  return { round, disturbed: Object.values(targets).some((f) => f.load?.disturbed), targets, ratios };
}

function medianOf(rounds: Round[]) {
  const targetNames = [...new Set(rounds.flatMap((r) => Object.keys(r.targets)))];
  const targets: Record<string, Record<string, number | null>> = {};
  for (const t of targetNames) {
    const of = (k: keyof TargetFigures) => median(rounds.map((r) => r.targets[t]?.[k] as number | null | undefined));
    targets[t] = { broadcastP99: of('broadcastP99'), ackP99: of('ackP99'), cpuPer1000Answers: of('cpuPer1000Answers'), cpuPer1000Views: of('cpuPer1000Views'), cpuCores: of('cpuCores'), peakRssMb: of('peakRssMb') };
  }
  const ratios: Record<string, Record<keyof RoundRatios, number | null>> = {};
  for (const t of targetNames.filter((t) => t !== 'baseline')) {
    const of = (k: keyof RoundRatios) => median(rounds.map((r) => r.ratios[t]?.[k]));
    ratios[t] = { broadcastP99: of('broadcastP99'), ackP99: of('ackP99'), cpuPerAnswer: of('cpuPerAnswer'), cpuPerView: of('cpuPerView') };
  }
  return { rounds: rounds.length, targets, ratios };
}

/** Medians over all rounds, and over the rounds no other work disturbed (null when every round was). */
export function summarizeRounds(rounds: Round[]) {
  const quiet = rounds.filter((r) => !r.disturbed);
  return { all: medianOf(rounds), undisturbed: quiet.length > 0 ? medianOf(quiet) : null, disturbedRounds: rounds.filter((r) => r.disturbed).map((r) => r.round) };
}
