import { createServer, type RequestListener, type Server as HttpServer } from 'node:http';
import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_BANK_DIR, loadBank, projectRoot } from '../questions/loader.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { QuestionBank } from './game/bank.js';
import { createReducer } from './game/reducer.js';
import { createHttpApp } from './http/app.js';
import type { PracticeDeps } from './http/practice-routes.js';
import { MemoryProfileStore, RedisProfileStore } from './practice/profile-stores.js';
import { MemoryPracticeStore, RedisPracticeStore } from './practice/practice-store.js';
import { Profiles } from './practice/profiles.js';
import { ExamService, MemoryExamStore, RedisExamStore } from './practice/exams.js';
import { PracticeService } from './practice/service.js';
import { HomeworkService } from './homework/service.js';
import { MemoryHomeworkStore } from './homework/store.js';
import { RedisHomeworkStore } from './homework/redis-store.js';
import { addRoomAnswerOnce } from './practice/engine.js';
import { roomExamRecords } from './practice/room-exams.js';
import { roomMisses } from './practice/room-misses.js';
import { createLogger, type Logger } from './log.js';
import { RoomDirectory, type Coordination } from './cluster/directory.js';
import { RedisLeases } from './cluster/leases.js';
import { RedisRoomLog } from './cluster/room-log.js';
import { nanoid } from 'nanoid';
import { Metrics, listenMetrics } from './metrics.js';
import { attachGateway, createGameServer, socketOutbox, type GameServer } from './realtime/gateway.js';
import type { InterfaceList } from './realtime/join-links.js';
import { JoinLimits } from './realtime/limits.js';
import { RoomRegistry } from './realtime/registry.js';
import { MemoryStore } from './storage/memory.js';
import { RedisStore } from './storage/redis.js';
import type { Store } from './storage/types.js';

export interface AppOptions {
  config: Config;
  clock?: Clock;
  /**
   * What leases and the room log's waits run on; the room clock by default. Tests that drive rooms
   * by hand over a real Redis keep leases on real time, so a jump of the room clock is not a partition.
   */
  clusterClock?: Clock;
  log?: Logger;
  /** Tests may pass a bank or a store; otherwise they come from the config. */
  bank?: QuestionBank;
  store?: Store;
  broadcastThrottleMs?: number;
  pingIntervalMs?: number;
  /** The machine's network interfaces (tests pass fixed ones). */
  networkInterfaces?: InterfaceList;
}

export interface RunningApp {
  http: HttpServer;
  /** The Express app behind `http` (tests list its routes). */
  httpApp: Express;
  io: GameServer;
  registry: RoomRegistry;
  directory: RoomDirectory;
  metrics: Metrics;
  store: Store;
  bank: QuestionBank;
  port: number;
  url: string;
  /** The port /metrics is served on when METRICS_PORT is set. */
  metricsPort?: number;
  /** Graceful stop: not ready, rooms handed over (several nodes) or flushed, sockets closed, stores closed. */
  close(): Promise<void>;
}

export async function createStore(config: Config, log: Logger): Promise<Store> {
  if (!config.REDIS_URL) return new MemoryStore();
  return RedisStore.connect(config.REDIS_URL, (err) => log.warn({ err: err.message }, 'redis connection problem'));
}

/** Solo practice on the same backing store as the rooms (Redis connection shared when there is one). */
function practiceDeps(bank: QuestionBank, store: Store, clock: Clock, profileIdleMs: number): PracticeDeps {
  const redis = store instanceof RedisStore ? store.redis : null;
  const now = () => clock.now();
  const profileStore = redis ? new RedisProfileStore(redis) : new MemoryProfileStore(now);
  const practiceStore = redis ? new RedisPracticeStore(redis) : new MemoryPracticeStore();
  const examStore = redis ? new RedisExamStore(redis) : new MemoryExamStore();
  return {
    profiles: new Profiles(profileStore, now, profileIdleMs),
    profileStore,
    practice: new PracticeService(bank, practiceStore, now),
    practiceStore,
    exams: new ExamService(bank, examStore, now),
  };
}

/** Builds and starts the whole server: bank, store, rooms, Socket.IO and HTTP on one port. */
export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const { config } = opts;
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const clock = opts.clock ?? systemClock;
  const clusterClock = opts.clusterClock ?? clock;
  const bank = opts.bank ?? new QuestionBank(await loadBank(config.BANK_DIR ?? DEFAULT_BANK_DIR));
  const store = opts.store ?? (await createStore(config, log));

  const redis = store instanceof RedisStore ? store.redis : undefined;
  const metrics = new Metrics();
  if (redis) metrics.timeRedis(redis);
  // With Redis every node is part of a cluster (possibly of one): rooms are leased and logged.
  const idleMs = config.ROOM_IDLE_MINUTES * 60_000;
  const coordination: Coordination | null = redis
    ? {
        nodeId: config.NODE_ID ?? nanoid(10),
        leases: new RedisLeases(redis),
        log: new RedisRoomLog(redis),
        leaseMs: config.ROOM_LEASE_MS,
        clockDriftMs: config.CLOCK_DRIFT_MS,
        logTtlMs: idleMs + 10 * 60_000,
      }
    : null;
  const limits = new JoinLimits({
    connectionsPerIpPerMinute: config.CONNECTIONS_PER_IP_PER_MINUTE,
    joinsPerIpPerMinute: config.JOINS_PER_IP_PER_MINUTE,
    joinsPerRoomPerMinute: config.JOINS_PER_ROOM_PER_MINUTE,
    resumesPerIpPerMinute: config.RESUMES_PER_IP_PER_MINUTE,
    roomsPerIpPerMinute: config.ROOMS_PER_IP_PER_MINUTE,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    metrics,
    ...(redis ? { redis } : {}),
  });

  // The HTTP handler is set once the app exists; it must be the server's listener before Socket.IO
  // attaches, so that Socket.IO's own requests (long-polling) never also reach Express.
  let handleHttp: RequestListener = (_req, res) => res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'STORE_UNAVAILABLE', message: 'The server is starting: try again in a moment' } }));
  // A client that sends its headers or its request slowly (or never finishes) is cut off; Node checks at this interval.
  const http = createServer(
    {
      headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: Math.min(1_000, Math.ceil(config.HTTP_HEADERS_TIMEOUT_MS / 4)),
    },
    (req, res) => handleHttp(req, res),
  );
  let accepting = true;
  const io = createGameServer(http, {
    log,
    accepting: () => accepting,
    flags: store,
    limits,
    allowedOrigins: config.ALLOWED_ORIGINS,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    maxOpenConnectionsPerAddress: config.MAX_OPEN_CONNECTIONS_PER_ADDRESS,
    ...(redis ? { redis } : {}),
    ...(opts.pingIntervalMs !== undefined ? { pingIntervalMs: opts.pingIntervalMs } : {}),
  });
  const practice = practiceDeps(bank, store, clock, config.PROFILE_IDLE_DAYS * 24 * 3_600_000);
  // Declared before the registry so rooms can reach it (lease lost, room closed); set right after.
  let directory!: RoomDirectory;
  const registry = new RoomRegistry({
    // Room answers by profiled players count towards their practice stats (not rated), once per question close.
    onProfiledAnswers: async (answers) => {
      for (const a of answers) {
        await practice.profiles.retain(a.profileId);
        await practice.practiceStore.update(a.profileId, null, null, (p) => {
          const player = addRoomAnswerOnce(p, a.outcomeId, a.domain, a.correct, a.timeMs, bank.byId.get(a.questionId)?.domain2025);
          return player ? { player, result: null } : { abort: null };
        });
      }
    },
    onProfiledExam: async (state, profiles) => {
      for (const exam of roomExamRecords(state, profiles, bank)) {
        await practice.profiles.retain(exam.profileId);
        await practice.exams.record(exam);
      }
    },
    // Missed and unanswered room questions come back in solo practice as reviews.
    onProfiledMisses: async (state, result, profiles) => {
      await practice.practice.feedRoomMisses(roomMisses(state, result, profiles));
    },
    reduce: createReducer(bank),
    clock,
    store,
    log,
    outbox: socketOutbox(
      io,
      (member, kicked) => directory.unboundRemote(member, kicked),
      () => directory.nodeId,
    ),
    roomCap: config.ROOM_CAP,
    idleMs,
    defaultBuzzCapMs: config.BUZZ_COMPENSATION_CAP_MS,
    presenceGraceMs: config.PRESENCE_GRACE_MS,
    onClosed: (room) => directory.closed(room),
    ...(coordination
      ? {
          saveSnapshot: async (code, fence, seq, data) => (await coordination.log.saveSnapshot(code, fence, clusterClock.now(), seq, data, coordination.logTtlMs)).ok,
          onLogFailed: (room, why) => directory.roomFailed(room, why),
        }
      : {}),
    ...(opts.broadcastThrottleMs !== undefined ? { broadcastThrottleMs: opts.broadcastThrottleMs } : {}),
  });
  directory = new RoomDirectory({ registry, coordination, clock: clusterClock, log, metrics });
  attachGateway(io, directory, {
    clock: clusterClock,
    profiles: practice.profiles,
    log,
    metrics,
    flags: store,
    limits,
    eventsPerSecond: config.EVENTS_PER_SOCKET_PER_SECOND,
    allowedOrigins: config.ALLOWED_ORIGINS,
    publicUrl: config.PUBLIC_URL,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    bindHost: config.HOST,
    ...(opts.networkInterfaces ? { networkInterfaces: opts.networkInterfaces } : {}),
  });
  metrics.observe({
    sockets: () => io.engine.clientsCount,
    roomsByPhase: () => {
      const byPhase: Record<string, number> = {};
      for (const room of registry.all()) byPhase[room.state.phase] = (byPhase[room.state.phase] ?? 0) + 1;
      return byPhase;
    },
  });
  // Homework on the same backing store; missed questions of profiled members feed their review queue.
  const homework = new HomeworkService(bank, redis ? new RedisHomeworkStore(redis, () => clock.now()) : new MemoryHomeworkStore(), {
    now: () => clock.now(),
    onMisses: (misses) => practice.practice.feedRoomMisses(misses),
  });
  const homeworkDeps = { homework, profiles: practice.profiles, ...(redis ? { redis } : {}) };
  const httpApp = createHttpApp({
    bank,
    store,
    rooms: directory,
    metrics,
    accepting: () => accepting,
    log,
    practice,
    homework: homeworkDeps,
    clientDir: join(projectRoot(), 'dist', 'client'),
    trustProxyHops: config.TRUST_PROXY_HOPS,
    ...(config.METRICS_TOKEN ? { metricsToken: config.METRICS_TOKEN } : {}),
    limits: {
      roomLookupsPerIpPerMinute: config.ROOM_LOOKUPS_PER_IP_PER_MINUTE,
      roomMissesPerIpPerMinute: config.ROOM_MISSES_PER_IP_PER_MINUTE,
      profilesPerIpPerMinute: config.PROFILES_PER_IP_PER_MINUTE,
      ...(redis ? { redis } : {}),
    },
  });
  // With METRICS_PORT the game port no longer shows /metrics: players' traffic never sees it.
  handleHttp = config.METRICS_PORT === undefined ? httpApp : (req, res) => (req.url?.split('?')[0] === '/metrics' ? void res.writeHead(404).end() : httpApp(req, res));
  registry.startSweeping();
  directory.start();

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.PORT, config.HOST, resolve);
  });
  const port = (http.address() as AddressInfo).port;
  const metricsListener = config.METRICS_PORT === undefined ? null : await listenMetrics(metrics, config.METRICS_PORT, config.HOST);
  const url = `http://${config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST}:${port}`;

  return {
    http,
    httpApp,
    io,
    registry,
    directory,
    metrics,
    store,
    bank,
    port,
    url,
    ...(metricsListener ? { metricsPort: metricsListener.port } : {}),
    close: async () => {
      accepting = false;
      await directory.handOver();
      await Promise.race([registry.stop(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      practice.practiceStore.close();
      if (metricsListener) await new Promise((resolve) => metricsListener.server.close(resolve));
      if (!opts.store) await store.close();
    },
  };
}
