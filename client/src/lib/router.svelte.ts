import { RoomCodeSchemaLike } from './room-code.js';

export type Route =
  | { name: 'home' }
  | { name: 'join'; code: string }
  | { name: 'host'; code: string | null }
  | { name: 'leaderboards' }
  | { name: 'practice' }
  | { name: 'stats' }
  | { name: 'exam' }
  | { name: 'homework'; id: string }
  | { name: 'homework-lead'; id: string | null }
  | { name: 'not-found' };

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean);
  if (parts.length === 0) return { name: 'home' };
  const [head, arg] = parts;
  if (head === 'join' && arg && RoomCodeSchemaLike.test(arg.toUpperCase())) return { name: 'join', code: arg.toUpperCase() };
  if (head === 'host') return { name: 'host', code: arg && RoomCodeSchemaLike.test(arg.toUpperCase()) ? arg.toUpperCase() : null };
  if (head === 'leaderboards') return { name: 'leaderboards' };
  if (head === 'practice') return { name: 'practice' };
  if (head === 'stats') return { name: 'stats' };
  if (head === 'exam') return { name: 'exam' };
  if (head === 'homework') {
    if (!arg) return { name: 'homework-lead', id: null };
    if (/^[A-Za-z0-9_-]{12}$/.test(arg)) return parts[2] === 'lead' ? { name: 'homework-lead', id: arg } : { name: 'homework', id: arg };
  }
  return { name: 'not-found' };
}

/** History-API routing for a handful of pages; the server answers every path with the app. */
class Router {
  route = $state<Route>(parseRoute(location.pathname));

  constructor() {
    addEventListener('popstate', () => (this.route = parseRoute(location.pathname)));
  }

  navigate(path: string, { replace = false } = {}): void {
    if (replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    this.route = parseRoute(path);
  }
}

export const router = new Router();
