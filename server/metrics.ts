import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What /metrics shows. One registry per app, so several apps in one test process do not collide. */
export class Metrics {
  readonly registry = new Registry();
  readonly events = new Counter({ name: 'cca_events_total', help: 'Client events received, by type', labelNames: ['event'], registers: [this.registry] });
  readonly acks = new Counter({
    name: 'cca_acks_total',
    help: 'Acks sent, by event and error code ("ok" for success)',
    labelNames: ['event', 'code'],
    registers: [this.registry],
  });
  readonly handlerSeconds = new Histogram({
    name: 'cca_handler_duration_seconds',
    help: 'Time from receiving a client event to its ack',
    labelNames: ['event'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly redisSeconds = new Histogram({
    name: 'cca_redis_command_duration_seconds',
    help: 'Redis command latency as this node sees it',
    labelNames: ['command'],
    buckets: [0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
    registers: [this.registry],
  });
  readonly takeovers = new Counter({ name: 'cca_room_takeovers_total', help: 'Rooms this node took over from a lapsed owner', registers: [this.registry] });
  readonly roomLogProblems = new Counter({
    name: 'cca_room_log_problems_total',
    help: 'Room log trouble: writes refused (fenced, out of sequence), snapshots refused on restore, entries skipped or broken',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly joinsLimited = new Counter({
    name: 'cca_joins_limited_total',
    help: 'Connections and joins refused by the abuse limits',
    labelNames: ['limit'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Gauges read at scrape time: nothing to keep in step. */
  observe(read: { sockets: () => number; roomsByPhase: () => Record<string, number> }): void {
    new Gauge({
      name: 'cca_connected_sockets',
      help: 'Sockets connected to this node',
      registers: [this.registry],
      collect() {
        this.set(read.sockets());
      },
    });
    new Gauge({
      name: 'cca_rooms',
      help: 'Rooms this node runs, by phase',
      labelNames: ['phase'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [phase, n] of Object.entries(read.roomsByPhase())) this.set({ phase }, n);
      },
    });
  }

  /** Times every command an ioredis client sends (pipelines included: they are sent command by command). */
  timeRedis(redis: Redis): void {
    const send = redis.sendCommand.bind(redis);
    const hist = this.redisSeconds;
    redis.sendCommand = ((command: { name: string; promise: Promise<unknown> }, ...rest: unknown[]) => {
      const end = hist.startTimer({ command: command.name });
      command.promise.then(() => end(), () => end());
      return (send as (...a: unknown[]) => unknown)(command, ...rest);
    }) as typeof redis.sendCommand;
  }
}

/**
 * `/metrics` alone on a port of its own (METRICS_PORT): Prometheus scrapes it there, and a network
 * policy, which only sees ports, can let Prometheus reach this port and nothing else.
 */
export async function listenMetrics(metrics: Metrics, port: number, host: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return { server, port: (server.address() as AddressInfo).port };
}
