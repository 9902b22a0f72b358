import type { DeckProblem } from '../../../shared/protocol/decks.js';
import type { ErrorCode } from '../../../shared/protocol/errors.js';
import type { Refusal } from '../../../shared/protocol/http-replies.js';
import type { HttpBody, HttpReply, HttpRouteId } from '../../../shared/protocol/http-routes.js';

/** A call's outcome: the route's documented reply, or its refusal (one shape for every route). */
export type HttpResult<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string; problems?: DeckProblem[] };

/**
 * One HTTP call to a documented route (`route` names it in shared/protocol/http-routes.ts, which types the body
 * and the reply; only types are imported, so no schema code reaches the bundle).
 */
export async function http<K extends HttpRouteId>(
  _route: K,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  opts: { token?: string | null; body?: HttpBody<K> } = {},
): Promise<HttpResult<HttpReply<K>>> {
  try {
    const r = await fetch(path, {
      method,
      headers: { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const json: unknown = await r.json().catch(() => null);
    if (r.ok && json !== null) return { ok: true, value: json as HttpReply<K> };
    const error = json !== null && typeof json === 'object' && 'error' in json ? (json as Refusal).error : null;
    if (!error) return { ok: false, code: 'INTERNAL', message: `The server answered ${r.status}: try again` };
    return { ok: false, code: error.code, message: error.message, ...(error.problems ? { problems: error.problems } : {}) };
  } catch {
    return { ok: false, code: 'INTERNAL', message: 'No answer from the server: check your connection' };
  }
}
