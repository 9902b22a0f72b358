import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Every JSON log line the process printed so far. */
  logs: { msg?: string; level?: number; [k: string]: unknown }[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `server/main.ts` as its own process (what `npm start` runs, from source) and waits until it listens. */
export function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: ServerProcess['logs'] = [];
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line);
        logs.push(entry);
        if (typeof entry.url === 'string' && String(entry.msg).includes('listening')) {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve({
            child,
            url: entry.url,
            logs,
            stop: (signal = 'SIGTERM') =>
              new Promise((done) => {
                if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
                child.once('exit', (code) => done(code));
                child.kill(signal);
              }),
          });
        }
      } catch {
        // not a log line
      }
    });
  });
}
