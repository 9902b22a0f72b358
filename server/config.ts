import { z } from 'zod';

const int = (min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number ${min}-${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be ${min}-${max}`).max(max, `must be ${min}-${max}`))
    .optional()
    .transform((v) => v ?? fallback);

const origins = z
  .string()
  .default('')
  .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
  .pipe(z.array(z.url({ protocol: /^https?$/, message: 'must be a comma-separated list of http(s) origins' })));

/** Every setting comes from the environment and is checked once, at start-up. */
export const ConfigSchema = z.object({
  PORT: int(0, 65535, 3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
    .optional(),
  /** Browser origins allowed to open a socket besides the server's own; empty = same origin only. */
  ALLOWED_ORIGINS: origins,
  /** Base URL used in join links and QR codes; defaults to the address the host connected to. */
  PUBLIC_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
  ROOM_CAP: int(1, 10_000, 300),
  ROOM_IDLE_MINUTES: int(1, 1440, 30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty` (readable lines) or `json` (one JSON object a line); unset = pretty on a terminal, json otherwise and in production. */
  LOG_FORMAT: z.enum(['json', 'pretty'], { message: 'must be json or pretty' }).optional(),
  NODE_ENV: z.string().trim().optional(),
  /** A player whose connection drops still counts as present (early closing waits for them) this long. */
  PRESENCE_GRACE_MS: int(0, 300_000, 15_000),
  BUZZ_COMPENSATION_CAP_MS: int(0, 1000, 250),
  BANK_DIR: z.string().trim().min(1).optional(),
  /** Several nodes on one Redis: a dead node's rooms move after at most this long. */
  ROOM_LEASE_MS: int(1000, 60_000, 4000),
  /** How far the nodes' clocks may disagree: each node stops acting for a room this long before its lease ends. */
  CLOCK_DRIFT_MS: int(0, 5_000, 250),
  /** Name of this node in logs and leases; random when unset. */
  NODE_ID: z.string().trim().regex(/^[\w.-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores').optional(),
  /** Proxies in front of the server whose X-Forwarded-For is trusted (0: none, use the peer address). */
  TRUST_PROXY_HOPS: int(0, 5, 0),
  CONNECTIONS_PER_IP_PER_MINUTE: int(1, 100_000, 300),
  JOINS_PER_IP_PER_MINUTE: int(1, 100_000, 300),
  JOINS_PER_ROOM_PER_MINUTE: int(1, 100_000, 600),
  /** Each socket's event budget (twice this as a 2-second burst); past it events are refused, then the socket is cut. */
  EVENTS_PER_SOCKET_PER_SECOND: int(1, 10_000, 20),
});

export type Config = z.output<typeof ConfigSchema>;

/** Settings that only make sense together. */
function checkTogether(config: Config): string | null {
  if (config.CLOCK_DRIFT_MS * 2 >= config.ROOM_LEASE_MS) return `CLOCK_DRIFT_MS must be less than half of ROOM_LEASE_MS (got ${config.CLOCK_DRIFT_MS} and ${config.ROOM_LEASE_MS})`;
  return null;
}

export class ConfigError extends Error {}

/** Parses the environment; a bad value throws one line naming the variable and what is allowed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant = Object.fromEntries(
    Object.keys(ConfigSchema.shape).map((k) => [k, env[k] === '' && k !== 'ALLOWED_ORIGINS' ? undefined : env[k]]),
  );
  const parsed = ConfigSchema.safeParse(relevant);
  if (parsed.success) {
    const problem = checkTogether(parsed.data);
    if (problem) throw new ConfigError(`Invalid configuration: ${problem}`);
    return parsed.data;
  }
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0]);
  throw new ConfigError(`Invalid configuration: ${name} ${issue.message} (got ${JSON.stringify(env[name])})`);
}
