/** Round-trip samples the server timed itself; one-way latency = median RTT / 2. */
export class LatencyTracker {
  private samples: number[] = [];

  constructor(private readonly keep = 5) {}

  add(rttMs: number): void {
    if (!Number.isFinite(rttMs) || rttMs < 0) return;
    this.samples.push(rttMs);
    if (this.samples.length > this.keep) this.samples.shift();
  }

  get sampleCount(): number {
    return this.samples.length;
  }

  /** 0 until the first sample: an unmeasured player gets no compensation. */
  oneWayMs(): number {
    if (this.samples.length === 0) return 0;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return Math.round(sorted[Math.floor(sorted.length / 2)]! / 2);
  }
}
