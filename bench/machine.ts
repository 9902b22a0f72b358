/**
 * What else the machine was doing during a benchmark round: the load average, and the machine's busy
 * CPU from /proc/stat against the CPU of the benchmark's own processes (server, Redis, bot workers,
 * this orchestrator) and the kernel's interrupt time (their packets). The rest is other work; so is
 * steal time (the hypervisor running other machines on this one's cores). A round where they were
 * large is marked disturbed.
 */
import { cpus, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';

const TICKS = 100; // USER_HZ on Linux

/** Other work above this share of the machine (in cores, averaged over the round) disturbs a round. */
export const DISTURBED_FOREIGN_CORES = 0.25;

export interface MachineLoad {
  /** 1-minute load average at the start and the end of the round. */
  loadStart: number;
  loadEnd: number;
  cores: number;
  /** The whole machine's busy CPU, averaged over the round, in cores. */
  machineCores: number;
  /** The benchmark's own processes, in cores. */
  benchCores: number;
  /** Interrupt and softirq time (the kernel moving the sockets' packets), in cores: the bench's own traffic. */
  interruptCores: number;
  /** Everything else (other people's tests and builds), in cores. */
  foreignCores: number;
  /** Time this virtual machine was ready to run but its host ran something else, in cores. */
  stealCores: number;
  disturbed: boolean;
}

/** Busy (steal left out), interrupt and steal seconds of the whole machine so far. */
function machineSeconds(): { busy: number; interrupts: number; steal: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal …: busy = user + nice + system + irq + softirq
  const total = f.slice(0, 7).reduce((a, b) => a + b, 0);
  return { busy: (total - f[3]! - f[4]!) / TICKS, interrupts: (f[5]! + f[6]!) / TICKS, steal: (f[7] ?? 0) / TICKS };
}

function processSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0; // the process has exited
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Samples the machine between start() and stop(); `pids` are the benchmark's own processes. */
export class MachineMonitor {
  private t0 = 0;
  private busy0 = 0;
  private interrupts0 = 0;
  private steal0 = 0;
  private own0 = new Map<number, number>();
  /** The latest CPU seen per process: one that exits before stop() keeps what it used. */
  private ownLast = new Map<number, number>();
  private sampler: ReturnType<typeof setInterval> | null = null;
  private self0 = 0;
  private load0 = 0;

  constructor(private readonly pids: () => number[]) {}

  private selfSeconds(): number {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }

  start(): void {
    this.t0 = performance.now();
    ({ busy: this.busy0, interrupts: this.interrupts0, steal: this.steal0 } = machineSeconds());
    this.own0 = new Map(this.pids().map((p) => [p, processSeconds(p)]));
    this.ownLast = new Map(this.own0);
    this.sampler = setInterval(() => this.sample(), 500);
    this.sampler.unref();
    this.self0 = this.selfSeconds();
    this.load0 = loadavg()[0]!;
  }

  private sample(): void {
    for (const pid of this.pids()) {
      const seconds = processSeconds(pid);
      if (seconds > 0) this.ownLast.set(pid, seconds);
    }
  }

  stop(): MachineLoad {
    if (this.sampler) clearInterval(this.sampler);
    this.sample();
    const wall = (performance.now() - this.t0) / 1000;
    const now = machineSeconds();
    const machine = (now.busy - this.busy0) / wall;
    const interrupts = (now.interrupts - this.interrupts0) / wall;
    const steal = (now.steal - this.steal0) / wall;
    let own = this.selfSeconds() - this.self0;
    // Processes started during the round (the keynote's servers) count from their start.
    for (const [pid, seconds] of this.ownLast) own += seconds - (this.own0.get(pid) ?? 0);
    const bench = own / wall;
    const foreign = Math.max(0, machine - bench - interrupts);
    return {
      loadStart: round2(this.load0),
      loadEnd: round2(loadavg()[0]!),
      cores: cpus().length,
      machineCores: round2(machine),
      benchCores: round2(bench),
      interruptCores: round2(interrupts),
      foreignCores: round2(foreign),
      stealCores: round2(steal),
      disturbed: foreign + steal > DISTURBED_FOREIGN_CORES,
    };
  }
}
