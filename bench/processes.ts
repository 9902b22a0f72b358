import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** Starts a server process and resolves with its URL once it logs that it listens. */
export function startServerProcess(args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${stderr.slice(-800)}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { url?: string; msg?: string };
        if (entry.url && /listening/.test(entry.msg ?? '')) {
          child.removeAllListeners('exit');
          resolve({ child, url: entry.url });
        }
      } catch {
        // not a log line
      }
    });
  });
}

export function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}

const TICKS = 100; // USER_HZ on Linux

/** Samples a process's CPU time and resident memory from /proc while a scenario runs. */
export class ProcessMonitor {
  private startCpu = 0;
  private startAt = 0;
  peakRssMb = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly pid: number) {}

  cpuSeconds(): number {
    const fields = readFileSync(`/proc/${this.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  }

  rssMb(): number {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  }

  start(): void {
    this.startCpu = this.cpuSeconds();
    this.startAt = performance.now();
    this.peakRssMb = this.rssMb();
    this.timer = setInterval(() => (this.peakRssMb = Math.max(this.peakRssMb, this.rssMb())), 250);
  }

  /** Average CPU use in cores (1.0 = one full core), CPU-seconds used and the peak RSS since start(). */
  stop(): { cpuCores: number; cpuSeconds: number; peakRssMb: number } {
    if (this.timer) clearInterval(this.timer);
    const wall = (performance.now() - this.startAt) / 1000;
    const used = this.cpuSeconds() - this.startCpu;
    return { cpuCores: Math.round((used / wall) * 100) / 100, cpuSeconds: Math.round(used * 100) / 100, peakRssMb: Math.round(this.peakRssMb) };
  }
}

/** A bot worker process; `ask` sends one command and resolves with its reply. */
export class Worker {
  private readonly child: ChildProcess;

  constructor() {
    this.child = fork('bench/worker.ts', [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  }

  get pid(): number {
    return this.child.pid!;
  }

  ask<T>(message: object): Promise<T> {
    return new Promise((resolve, reject) => {
      this.child.once('message', (reply: { error?: string } & T) => (reply.error ? reject(new Error(reply.error)) : resolve(reply)));
      this.child.send(message);
    });
  }

  close(): void {
    this.child.send({ cmd: 'close' });
  }
}
