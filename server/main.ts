import { existsSync } from 'node:fs';
import { startApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { chooseLogFormat, createLogger } from './log.js';
import { startupInfo } from './startup.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const format = chooseLogFormat(config.LOG_FORMAT, { NODE_ENV: config.NODE_ENV });
  const log = createLogger(config.LOG_LEVEL, format);
  const app = await startApp({ config, log });
  if (!app.store.persistent) {
    log.warn('No REDIS_URL set: scores, leaderboards and stats are kept in memory only and are lost when the server stops');
  }
  log.info({ url: app.url, questions: app.bank.size, store: app.store.kind }, `cca-quiz listening on ${app.url}`);
  const inContainer = existsSync('/.dockerenv') || process.env.KUBERNETES_SERVICE_HOST !== undefined;
  const start = startupInfo({ publicUrl: config.PUBLIC_URL, bindHost: config.HOST, port: app.port, inContainer });
  // On a terminal these are plain lines a person reads; as JSON logs they stay one parseable record.
  if (format === 'pretty') console.log(`\n${start.lines.join('\n')}\n`);
  else log.info({ phoneUrl: start.phoneUrl, hostUrl: start.hostUrl }, start.lines.map((l) => l.trim()).join('; '));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('cca-quiz failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
