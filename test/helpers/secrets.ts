import { expect } from 'vitest';
import type { RoomView } from '../../shared/protocol/views.js';
import type { Bot } from './bot.js';

/**
 * Nothing a client received while `secret(view)` held (non-view messages always count) may carry a
 * solution: no explanation text, no `correct` flags, no answer distribution, no reveal.
 */
export function expectNoSecrets(bots: Bot[], explanation: string, secret: (view: RoomView) => boolean, atLeast: number): void {
  let checked = 0;
  for (const bot of bots) {
    for (const r of bot.received) {
      const view = r.event === 'room:view' ? (r.payload as RoomView) : null;
      if (view && !secret(view)) continue;
      checked++;
      const json = JSON.stringify(r.payload) ?? '';
      expect(json).not.toContain(explanation);
      expect(json).not.toContain('"correct"');
      expect(json).not.toContain('"distribution"');
      if (view) expect(view.reveal).toBeNull();
    }
  }
  expect(checked).toBeGreaterThan(atLeast);
}
