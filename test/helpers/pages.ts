import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { watchCsp } from './browser.js';

export type Viewport = { width: number; height: number };

/**
 * The browser tests' pages: each in its own context (one window, so frames are not throttled), reduced
 * motion, a 15 s default wait, and the page's CSP violations collected; `close()` ends them all.
 */
export class Pages {
  private readonly contexts: BrowserContext[] = [];
  private readonly csp: string[][] = [];

  constructor(private readonly browser: () => Browser) {}

  async open(viewport: Viewport, opts: { phone?: boolean; browser?: Browser } = {}): Promise<Page> {
    const context = await (opts.browser ?? this.browser()).newContext({ viewport, reducedMotion: 'reduce', ...(opts.phone ? { hasTouch: true, isMobile: true } : {}) });
    this.contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    this.csp.push(watchCsp(page));
    return page;
  }

  /** CSP violations since the last call (the server's strict policy must hold on every page). */
  takeCspViolations(): string[] {
    const seen = this.csp.flat();
    for (const list of this.csp) list.length = 0;
    return seen;
  }

  async close(): Promise<void> {
    for (const c of this.contexts) await c.close().catch(() => undefined);
  }
}

/** The page fits its viewport's width: nothing scrolls sideways. */
export async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll, `sideways scrolling on ${where}`).toBeLessThanOrEqual(client!);
}
