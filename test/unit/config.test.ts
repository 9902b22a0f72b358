import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';

describe('configuration from the environment', () => {
  it('has working defaults', () => {
    expect(loadConfig({})).toMatchObject({ PORT: 3000, HOST: '0.0.0.0', ROOM_CAP: 300, ROOM_IDLE_MINUTES: 30, LOG_LEVEL: 'info', BUZZ_COMPENSATION_CAP_MS: 250, ALLOWED_ORIGINS: [] });
    expect(loadConfig({}).REDIS_URL).toBeUndefined();
    expect(loadConfig({})).toMatchObject({ PRESENCE_GRACE_MS: 15_000, LOG_FORMAT: undefined });
    expect(loadConfig({ PRESENCE_GRACE_MS: '0', LOG_FORMAT: 'pretty' })).toMatchObject({ PRESENCE_GRACE_MS: 0, LOG_FORMAT: 'pretty' });
  });

  it('checks the HTTP edge settings', () => {
    expect(loadConfig({})).toMatchObject({ HTTP_HEADERS_TIMEOUT_MS: 10_000, HTTP_REQUEST_TIMEOUT_MS: 60_000, ROOM_LOOKUPS_PER_IP_PER_MINUTE: 1200, ROOM_MISSES_PER_IP_PER_MINUTE: 300, PROFILES_PER_IP_PER_MINUTE: 300, PROFILE_IDLE_DAYS: 30, METRICS_TOKEN: undefined });
    expect(loadConfig({ METRICS_TOKEN: 'a-long-enough-token' }).METRICS_TOKEN).toBe('a-long-enough-token');
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/^Invalid configuration: METRICS_TOKEN must be 16-256 printable characters/);
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_REQUEST_TIMEOUT_MS: '1000' })).toThrow(/^Invalid configuration: HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS \(1000\)/);
    expect(() => loadConfig({ PROFILE_IDLE_DAYS: '0' })).toThrow(/^Invalid configuration: PROFILE_IDLE_DAYS must be 1-3650/);
  });

  it('keeps the clock drift margin well inside the room lease', () => {
    expect(loadConfig({}).CLOCK_DRIFT_MS).toBe(250);
    expect(loadConfig({ ROOM_LEASE_MS: '2000', CLOCK_DRIFT_MS: '900' }).CLOCK_DRIFT_MS).toBe(900);
    expect(() => loadConfig({ ROOM_LEASE_MS: '1000', CLOCK_DRIFT_MS: '500' })).toThrow(/^Invalid configuration: CLOCK_DRIFT_MS must be less than half of ROOM_LEASE_MS \(1000\)/);
  });

  it('parses every variable', () => {
    const c = loadConfig({
      PORT: '8080',
      REDIS_URL: 'redis://cache:6379/0',
      ALLOWED_ORIGINS: 'https://quiz.example.org, http://localhost:5173',
      ROOM_CAP: '2000',
      ROOM_IDLE_MINUTES: '90',
      LOG_LEVEL: 'debug',
      BUZZ_COMPENSATION_CAP_MS: '0',
      PUBLIC_URL: 'https://quiz.example.org',
    });
    expect(c).toMatchObject({ PORT: 8080, ROOM_CAP: 2000, ROOM_IDLE_MINUTES: 90, BUZZ_COMPENSATION_CAP_MS: 0 });
    expect(c.ALLOWED_ORIGINS).toEqual(['https://quiz.example.org', 'http://localhost:5173']);
  });

  it.each([
    ['PORT', 'abc', /^Invalid configuration: PORT must be a whole number 0-65535 \(got "abc"\)$/],
    ['PORT', '70000', /^Invalid configuration: PORT must be 0-65535/],
    ['ROOM_CAP', '10001', /^Invalid configuration: ROOM_CAP must be 1-10000/],
    ['REDIS_URL', 'localhost:6379', /^Invalid configuration: REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/],
    ['LOG_LEVEL', 'loud', /^Invalid configuration: LOG_LEVEL /],
    ['ALLOWED_ORIGINS', 'not a url', /^Invalid configuration: ALLOWED_ORIGINS must be a comma-separated list/],
    ['BUZZ_COMPENSATION_CAP_MS', '-1', /^Invalid configuration: BUZZ_COMPENSATION_CAP_MS must be a whole number/],
    ['LOG_FORMAT', 'text', /^Invalid configuration: LOG_FORMAT must be json or pretty \(got "text"\)$/],
    ['PRESENCE_GRACE_MS', '15s', /^Invalid configuration: PRESENCE_GRACE_MS must be a whole number 0-300000/],
    ['PRESENCE_GRACE_MS', '400000', /^Invalid configuration: PRESENCE_GRACE_MS must be 0-300000/],
  ])('rejects %s=%s with one clear line', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});
