/** Tokens kept by the browser so a reload or a dropped connection resumes the same seat. */
export interface PlayerSession {
  code: string;
  playerId: string;
  sessionToken: string;
}

export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const playerKey = (code: string) => `cca-quiz:player:${code}`;
const hostKey = (code: string) => `cca-quiz:host:${code}`;

export class SessionStore {
  constructor(private readonly kv: KeyValue) {}

  savePlayer(s: PlayerSession): void {
    this.kv.setItem(playerKey(s.code), JSON.stringify(s));
  }

  player(code: string): PlayerSession | null {
    try {
      const raw = this.kv.getItem(playerKey(code));
      const s = raw ? (JSON.parse(raw) as PlayerSession) : null;
      return s && typeof s.sessionToken === 'string' && typeof s.playerId === 'string' ? s : null;
    } catch {
      return null;
    }
  }

  forgetPlayer(code: string): void {
    this.kv.removeItem(playerKey(code));
  }

  saveHost(code: string, hostToken: string): void {
    this.kv.setItem(hostKey(code), hostToken);
  }

  hostToken(code: string): string | null {
    return this.kv.getItem(hostKey(code));
  }

  forgetHost(code: string): void {
    this.kv.removeItem(hostKey(code));
  }
}

/** localStorage when the browser allows it (private modes may not), else memory for this tab. */
export function browserStorage(): KeyValue {
  try {
    const probe = '__cca_probe__';
    localStorage.setItem(probe, '1');
    localStorage.removeItem(probe);
    return localStorage;
  } catch {
    const m = new Map<string, string>();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
  }
}
