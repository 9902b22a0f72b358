import type { NetworkInterfaceInfo } from 'node:os';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { chooseLogFormat, createLogger } from '../../server/log.js';
import { startupInfo } from '../../server/startup.js';

const nic = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({ address, family, internal }) as NetworkInterfaceInfo;
const lo = [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)];

describe('npm start output', () => {
  it('names the LAN address phones open when PUBLIC_URL is unset, and the host screen', () => {
    const info = startupInfo({ bindHost: '0.0.0.0', port: 3000, interfaces: () => ({ lo, eth0: [nic('192.168.1.20', 'IPv4'), nic('fe80::1', 'IPv6')], wg0: [nic('10.8.0.2', 'IPv4')] }) });
    expect(info.lines).toEqual([
      "Phones join at http://192.168.1.20:3000 (PUBLIC_URL not set; using this machine's LAN address)",
      '  other addresses of this machine: http://10.8.0.2:3000',
      'Host screen: http://192.168.1.20:3000/host (open it on the laptop that drives the projector)',
    ]);
    expect(info.phoneUrl).toBe('http://192.168.1.20:3000');
  });

  it('in a container, says its own address may not be the one phones reach', () => {
    const info = startupInfo({ bindHost: '0.0.0.0', port: 3000, inContainer: true, interfaces: () => ({ lo, eth0: [nic('172.18.0.3', 'IPv4')] }) });
    expect(info.lines[0]).toBe("Phones join at http://172.18.0.3:3000 (PUBLIC_URL not set; using this machine's LAN address)");
    expect(info.lines.at(-1)).toMatch(/running in a container: .*PUBLIC_URL/);
  });

  it('uses PUBLIC_URL when set', () => {
    const info = startupInfo({ publicUrl: 'https://quiz.example.org/', bindHost: '0.0.0.0', port: 3000, interfaces: () => ({ lo }) });
    expect(info.lines).toEqual(['Phones join at https://quiz.example.org (PUBLIC_URL)', 'Host screen: https://quiz.example.org/host']);
  });

  it('says plainly when phones cannot reach the server, and what to do', () => {
    const offline = startupInfo({ bindHost: '0.0.0.0', port: 3000, interfaces: () => ({ lo }) });
    expect(offline.phoneUrl).toBeNull();
    expect(offline.lines[0]).toMatch(/^Phones cannot reach this server yet: this machine has no network address besides localhost\. .*PUBLIC_URL/);
    const bound = startupInfo({ bindHost: '127.0.0.1', port: 3000, interfaces: () => ({ lo, eth0: [nic('192.168.1.20', 'IPv4')] }) });
    expect(bound.lines[0]).toContain('HOST=127.0.0.1');
  });
});

describe('log format', () => {
  it('is pretty on a terminal, JSON when piped or in production, and an explicit LOG_FORMAT wins', () => {
    expect(chooseLogFormat(undefined, {}, true)).toBe('pretty');
    expect(chooseLogFormat(undefined, {}, false)).toBe('json');
    expect(chooseLogFormat(undefined, { NODE_ENV: 'production' }, true)).toBe('json');
    expect(chooseLogFormat('pretty', { NODE_ENV: 'production' }, false)).toBe('pretty');
    expect(chooseLogFormat('json', {}, true)).toBe('json');
  });

  it('writes readable lines (pretty) or one JSON object a line (json)', () => {
    const capture = () => {
      const chunks: string[] = [];
      const stream = new Writable({ write: (c, _e, done) => (chunks.push(String(c)), done()) });
      return { chunks, stream };
    };
    const p = capture();
    createLogger('info', 'pretty', p.stream).info({ room: 'ABCDEF' }, 'room created');
    expect(p.chunks.join('')).toMatch(/INFO.*room created/);
    expect(() => JSON.parse(p.chunks.join(''))).toThrow();
    const j = capture();
    createLogger('info', 'json', j.stream).info({ room: 'ABCDEF' }, 'room created');
    expect(JSON.parse(j.chunks.join(''))).toMatchObject({ level: 30, msg: 'room created', room: 'ABCDEF', app: 'cca-quiz' });
  });
});
