/**
 * The server's time as seen from this device: offset = server − local, taken from the sample with
 * the shortest round trip (the least uncertain), like NTP. Countdowns then agree across phones.
 */
export class ServerClock {
  offsetMs = 0;
  private bestRtt = Number.POSITIVE_INFINITY;

  constructor(private readonly localNow: () => number = () => Date.now()) {}

  /** One sync exchange: client send time, server time, client receive time. */
  observe(sentAt: number, serverTime: number, receivedAt: number): void {
    const rtt = receivedAt - sentAt;
    if (rtt < 0 || rtt > this.bestRtt) return;
    this.bestRtt = rtt;
    this.offsetMs = serverTime - (sentAt + receivedAt) / 2;
  }

  now(): number {
    return this.localNow() + this.offsetMs;
  }

  /** Milliseconds left until a server-time deadline. */
  remaining(deadline: number): number {
    return Math.max(0, deadline - this.now());
  }
}
