/**
 * The show's sounds, synthesised with the Web Audio API: nothing to download, no licence to track.
 * Every cue goes through `play`, which also announces it as a `cca:cue` DOM event (audible or not),
 * so a browser test can check which moment triggered which cue and that mute silences them all.
 */
export const CUES = ['lobby', 'join', 'ready', 'question', 'tick', 'buzz', 'right', 'wrong', 'reveal', 'fanfare'] as const;
export type Cue = (typeof CUES)[number];

export interface SoundPrefs {
  muted: boolean;
  /** 0-1 */
  volume: number;
}

type Note = { freq: number; at: number; dur: number; type?: OscillatorType; gain?: number; slideTo?: number };

const C5 = 523.25;
const E5 = 659.25;
const G5 = 783.99;

/** Each cue as a few notes (seconds from now). Short, distinct, audible over a noisy room. */
const SCORES: Record<Cue, Note[]> = {
  lobby: [
    { freq: 130.81, at: 0, dur: 0.35, type: 'triangle', gain: 0.5 },
    { freq: 196, at: 0.5, dur: 0.35, type: 'triangle', gain: 0.4 },
    { freq: 164.81, at: 1, dur: 0.35, type: 'triangle', gain: 0.45 },
    { freq: 196, at: 1.5, dur: 0.35, type: 'triangle', gain: 0.4 },
  ],
  join: [{ freq: 660, at: 0, dur: 0.12, type: 'sine', slideTo: 990 }],
  ready: [
    { freq: 440, at: 0, dur: 0.15, type: 'square', gain: 0.3 },
    { freq: 880, at: 0.18, dur: 0.25, type: 'square', gain: 0.3 },
  ],
  question: [{ freq: 392, at: 0, dur: 0.25, type: 'sawtooth', gain: 0.25, slideTo: 784 }],
  tick: [{ freq: 1200, at: 0, dur: 0.05, type: 'square', gain: 0.35 }],
  buzz: [{ freq: 180, at: 0, dur: 0.45, type: 'sawtooth', gain: 0.6 }],
  right: [
    { freq: C5, at: 0, dur: 0.12, type: 'sine' },
    { freq: E5, at: 0.1, dur: 0.12, type: 'sine' },
    { freq: G5, at: 0.2, dur: 0.3, type: 'sine' },
  ],
  wrong: [
    { freq: 311, at: 0, dur: 0.2, type: 'triangle', gain: 0.7 },
    { freq: 233, at: 0.2, dur: 0.45, type: 'triangle', gain: 0.7 },
  ],
  reveal: [
    { freq: 392, at: 0, dur: 0.5, type: 'triangle', gain: 0.35 },
    { freq: 523.25, at: 0, dur: 0.5, type: 'triangle', gain: 0.35 },
  ],
  fanfare: [
    { freq: C5, at: 0, dur: 0.18, type: 'square', gain: 0.3 },
    { freq: E5, at: 0.18, dur: 0.18, type: 'square', gain: 0.3 },
    { freq: G5, at: 0.36, dur: 0.18, type: 'square', gain: 0.3 },
    { freq: 1046.5, at: 0.54, dur: 0.7, type: 'square', gain: 0.3 },
  ],
};

const LOOP_BAR_SECONDS = 2;

interface Storage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export class SoundBoard {
  prefs: SoundPrefs;
  private ctx: AudioContext | null = null;
  private loop: ReturnType<typeof setInterval> | null = null;
  /** The screen wants its music (the lobby), whether or not sound is on right now. */
  private loopWanted = false;

  constructor(
    /** `host` sounds on by default; `phone` stays silent unless the player asks. */
    private readonly who: 'host' | 'phone',
    private readonly storage: Storage | null = typeof localStorage === 'undefined' ? null : localStorage,
  ) {
    this.prefs = this.load();
  }

  private load(): SoundPrefs {
    const fallback: SoundPrefs = { muted: this.who === 'phone', volume: 0.7 };
    try {
      const raw = this.storage?.getItem(`cca-sound:${this.who}`);
      if (!raw) return fallback;
      const p = JSON.parse(raw) as Partial<SoundPrefs>;
      return { muted: typeof p.muted === 'boolean' ? p.muted : fallback.muted, volume: clamp01(Number(p.volume ?? fallback.volume)) };
    } catch {
      return fallback;
    }
  }

  set(prefs: Partial<SoundPrefs>): void {
    this.prefs = { ...this.prefs, ...prefs, volume: clamp01(prefs.volume ?? this.prefs.volume) };
    try {
      this.storage?.setItem(`cca-sound:${this.who}`, JSON.stringify(this.prefs));
    } catch {
      // private mode: the choice lasts for this page only
    }
    if (this.prefs.muted) this.pauseLoop();
    else if (this.loopWanted) this.startLoop();
  }

  /** Browsers start audio only after a tap: call this from a click handler. */
  unlock(): void {
    const ctx = this.context();
    if (ctx && ctx.state === 'suspended') void ctx.resume();
  }

  play(cue: Cue): void {
    const audible = !this.prefs.muted && this.prefs.volume > 0;
    if (typeof document !== 'undefined') document.dispatchEvent(new CustomEvent('cca:cue', { detail: { cue, audible, who: this.who } }));
    if (!audible) return;
    const ctx = this.context();
    if (!ctx) return;
    const start = ctx.currentTime + 0.01;
    for (const n of SCORES[cue]) this.note(ctx, n, start);
  }

  /** The lobby music: one bar now and one every two seconds until stopped. */
  startLoop(): void {
    this.loopWanted = true;
    if (this.loop !== null || this.prefs.muted) return;
    this.play('lobby');
    this.loop = setInterval(() => this.play('lobby'), LOOP_BAR_SECONDS * 1000);
  }

  stopLoop(): void {
    this.loopWanted = false;
    this.pauseLoop();
  }

  private pauseLoop(): void {
    if (this.loop !== null) clearInterval(this.loop);
    this.loop = null;
  }

  get looping(): boolean {
    return this.loop !== null;
  }

  private context(): AudioContext | null {
    if (this.ctx) return this.ctx;
    const Ctor = typeof window === 'undefined' ? undefined : window.AudioContext;
    if (!Ctor) return null;
    this.ctx = new Ctor();
    return this.ctx;
  }

  private note(ctx: AudioContext, n: Note, start: number): void {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = n.type ?? 'sine';
    const t0 = start + n.at;
    osc.frequency.setValueAtTime(n.freq, t0);
    if (n.slideTo) osc.frequency.exponentialRampToValueAtTime(n.slideTo, t0 + n.dur);
    const peak = (n.gain ?? 0.5) * this.prefs.volume * 0.4;
    // A quick attack and an exponential release: no clicks at note edges.
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(Math.max(peak, 0.0002), t0 + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + n.dur);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t0);
    osc.stop(t0 + n.dur + 0.05);
  }
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0.7;
}

/** Phones buzz in the hand on the moments that matter (where the browser supports it). */
export function vibrate(pattern: number | number[]): void {
  if (typeof navigator !== 'undefined' && typeof navigator.vibrate === 'function') navigator.vibrate(pattern);
}
