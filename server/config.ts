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
  /** When set, /metrics is served on this port alone (and no longer on PORT), so a network policy can tell scrapes from players. */
  METRICS_PORT: z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number 0-65535')
    .transform(Number)
    .pipe(z.number().max(65535, 'must be 0-65535'))
    .optional(),
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
  /** A venue's phones behind one NAT connect, and reconnect after a Wi-Fi drop, within a minute. */
  CONNECTIONS_PER_IP_PER_MINUTE: int(1, 100_000, 1000),
  JOINS_PER_IP_PER_MINUTE: int(1, 100_000, 600),
  /** Open sockets per client address on one node (released on disconnect): 300 phones + hosts behind one NAT fit. */
  MAX_OPEN_CONNECTIONS_PER_ADDRESS: int(1, 100_000, 1000),
  /** `room:resume` and `host:attach` attempts per client address. */
  RESUMES_PER_IP_PER_MINUTE: int(1, 100_000, 900),
  /** `room:create` per client address. */
  ROOMS_PER_IP_PER_MINUTE: int(1, 10_000, 10),
  JOINS_PER_ROOM_PER_MINUTE: int(1, 100_000, 600),
  /** Each socket's event budget (twice this as a 2-second burst); past it events are refused, then the socket is cut. */
  EVENTS_PER_SOCKET_PER_SECOND: int(1, 10_000, 20),
  /** `GET /api/rooms/:code…` per client address (a full venue room behind one NAT looks its code up a few times per phone). */
  ROOM_LOOKUPS_PER_IP_PER_MINUTE: int(1, 100_000, 1200),
  /** Lookups of codes that match no room, per client address: past it the address's lookups wait a minute. */
  ROOM_MISSES_PER_IP_PER_MINUTE: int(1, 100_000, 300),
  PROFILES_PER_IP_PER_MINUTE: int(1, 100_000, 300),
  /** A practice profile that has answered nothing is removed this many days after it was made. */
  PROFILE_IDLE_DAYS: int(1, 3650, 30),
  /** Time for a client to send a request's headers / the whole request before the server closes the connection. */
  HTTP_HEADERS_TIMEOUT_MS: int(100, 600_000, 10_000),
  HTTP_REQUEST_TIMEOUT_MS: int(100, 3_600_000, 60_000),
  /** When set, `/metrics` answers only `Authorization: Bearer <METRICS_TOKEN>`; unset = open. */
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,256}$/, 'must be 16-256 printable characters without spaces')
    .optional(),
}).superRefine((c, ctx) => {
  if (c.HTTP_HEADERS_TIMEOUT_MS > c.HTTP_REQUEST_TIMEOUT_MS) {
    ctx.addIssue({ code: 'custom', path: ['HTTP_HEADERS_TIMEOUT_MS'], message: `must not exceed HTTP_REQUEST_TIMEOUT_MS (${c.HTTP_REQUEST_TIMEOUT_MS})` });
  }
  if (c.CLOCK_DRIFT_MS * 2 >= c.ROOM_LEASE_MS) {
    ctx.addIssue({ code: 'custom', path: ['CLOCK_DRIFT_MS'], message: `must be less than half of ROOM_LEASE_MS (${c.ROOM_LEASE_MS})` });
  }
});

export type Config = z.output<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses the environment; a bad value throws one line naming the variable and what is allowed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant = Object.fromEntries(
    Object.keys(ConfigSchema.shape).map((k) => [k, env[k] === '' && k !== 'ALLOWED_ORIGINS' ? undefined : env[k]]),
  );
  const parsed = ConfigSchema.safeParse(relevant);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0]);
  throw new ConfigError(`Invalid configuration: ${name} ${issue.message} (got ${JSON.stringify(env[name])})`);
}
