import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../server/realtime/limits.js';

describe('client address for the abuse limits', () => {
  const req = (xff: string | undefined, peer = '10.0.0.5') => ({ headers: xff ? { 'x-forwarded-for': xff } : {}, socket: { remoteAddress: peer } }) as never;

  it('uses the peer address unless proxies are trusted', () => {
    expect(clientAddress(req('1.2.3.4'), 0)).toBe('10.0.0.5');
  });

  it('takes the entry the trusted proxy added, so a client cannot pick its own address', () => {
    expect(clientAddress(req('6.6.6.6, 198.51.100.7'), 1)).toBe('198.51.100.7');
    expect(clientAddress(req('6.6.6.6, 198.51.100.7, 192.0.2.1'), 2)).toBe('198.51.100.7');
    expect(clientAddress(req(undefined), 1)).toBe('10.0.0.5');
  });
});
