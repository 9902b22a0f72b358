import type { IncomingHttpHeaders } from 'node:http';
import { networkInterfaces as osInterfaces, type NetworkInterfaceInfo } from 'node:os';
import type { JoinLinks } from '../../shared/protocol/views.js';

export type InterfaceList = () => NodeJS.Dict<NetworkInterfaceInfo[]>;

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/** True for names that only reach the machine itself: phones cannot open them. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1' || h === '0.0.0.0' || h === '::';
}

/**
 * This machine's addresses other devices on the network may reach: non-internal IPv4, then IPv6
 * except link-local (fe80::/10 needs a zone id browsers do not accept). A server bound to one
 * address offers only that one.
 */
export function lanAddresses(interfaces: InterfaceList = osInterfaces, bindHost = '0.0.0.0'): string[] {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const list of Object.values(interfaces())) {
    for (const i of list ?? []) {
      if (i.internal) continue;
      if (i.family === 'IPv4') v4.push(i.address);
      else if (!/^fe[89ab]/i.test(i.address)) v6.push(i.address);
    }
  }
  const all = [...new Set([...v4, ...v6])];
  return WILDCARD.has(bindHost) ? all : all.filter((a) => a === bindHost);
}

export const originOf = (address: string, port: number, scheme = 'http'): string =>
  `${scheme}://${address.includes(':') ? `[${address}]` : address}:${port}`;

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim();

/**
 * The origin of the page the host's browser is on: its Origin header (browsers send it on the
 * WebSocket upgrade; the connection already passed the origin check), else `scheme://host[:port]`
 * from the Host header (or a trusted proxy's X-Forwarded-*); null when malformed.
 */
export function requestOrigin(headers: IncomingHttpHeaders, trustProxy: boolean): string | null {
  const origin = first(headers.origin);
  if (origin && /^https?:\/\/[^/]+$/i.test(origin)) {
    try {
      return new URL(origin).origin;
    } catch {
      // fall through to the Host header
    }
  }
  const host = (trustProxy ? first(headers['x-forwarded-host']) : undefined) ?? first(headers.host);
  const proto = trustProxy ? first(headers['x-forwarded-proto']) : undefined;
  if (!host) return null;
  try {
    const url = new URL(`${proto === 'https' ? 'https' : 'http'}://${host}`);
    // A Host header is client-sent: only a bare host[:port] is used, never a path or credentials.
    if (url.host !== host.toLowerCase() || url.username || url.password) return null;
    return url.origin;
  } catch {
    return null;
  }
}

export interface JoinLinkOptions {
  code: string;
  publicUrl?: string | undefined;
  /** Origin the host's browser used (see requestOrigin); null falls back to localhost. */
  hostOrigin: string | null;
  /** The port this server accepted the host's connection on (what a phone on the LAN opens). */
  localPort: number;
  interfaces?: InterfaceList;
  bindHost?: string;
}

/** The one join URL (PUBLIC_URL, else the host's address) and the LAN alternatives. */
export function joinLinks(o: JoinLinkOptions): JoinLinks {
  const path = `/join/${o.code}`;
  const base = (o.publicUrl ?? o.hostOrigin ?? `http://localhost:${o.localPort}`).replace(/\/+$/, '');
  const url = `${base}${path}`;
  const lanUrls = lanAddresses(o.interfaces, o.bindHost).map((a) => `${originOf(a, o.localPort)}${path}`);
  return { url, lanUrls, loopbackOnly: isLoopbackHost(new URL(url).hostname), source: o.publicUrl ? 'public-url' : 'host-address' };
}
