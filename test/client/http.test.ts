import { afterEach, describe, expect, it, vi } from 'vitest';
import { http } from '../../client/src/lib/http.js';

/** The client reads one refusal shape from every route, and says plainly when there is no answer at all. */
describe('client HTTP calls', () => {
  afterEach(() => vi.unstubAllGlobals());
  const answer = (status: number, body: string) => vi.stubGlobal('fetch', vi.fn(async () => new Response(body, { status, headers: { 'content-type': 'application/json' } })));

  it('returns the reply of a documented route', async () => {
    answer(200, JSON.stringify({ exists: true, code: 'ABCDEF', mode: 'classic', phase: 'lobby', playerCount: 0, teams: [], joinable: true }));
    const r = await http('roomInfo', 'GET', '/api/rooms/ABCDEF');
    expect(r).toMatchObject({ ok: true, value: { code: 'ABCDEF' } });
  });

  it('reads a refusal, with the problems of a deck', async () => {
    answer(422, JSON.stringify({ error: { code: 'DECK_INVALID', message: 'The deck has 1 problem', problems: [{ id: 'q', field: 'difficulty', message: 'too big' }] } }));
    expect(await http('roomDeck', 'POST', '/api/rooms/ABCDEF/deck', { token: 't', body: { deck: { kind: 'random' } } })).toEqual({
      ok: false,
      code: 'DECK_INVALID',
      message: 'The deck has 1 problem',
      problems: [{ id: 'q', field: 'difficulty', message: 'too big' }],
    });
  });

  it('turns an answer that is not a refusal (a proxy error page) or no answer into INTERNAL', async () => {
    answer(502, '<html>Bad gateway</html>');
    expect(await http('me', 'GET', '/api/me')).toMatchObject({ ok: false, code: 'INTERNAL' });
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('network'))));
    expect(await http('me', 'GET', '/api/me')).toMatchObject({ ok: false, code: 'INTERNAL', message: expect.stringContaining('connection') });
  });
});
