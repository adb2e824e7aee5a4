import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('uses the documented defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databasePath).toBe('data/raumbuch.sqlite');
    expect(c.baseUrl).toBe('http://localhost:3000');
    expect(c.demo).toBe(true);
    expect(c.secureCookies).toBe(false);
  });

  it('refuses a bad value with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ BASE_URL: 'not a url' })).toThrow(/BASE_URL/);
    expect(() => loadConfig({ DEMO: 'maybe' })).toThrow(/DEMO/);
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET/);
  });

  it('needs ADMIN_EMAIL and ADMIN_PASSWORD together, and a password of at least 10 characters', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@example.org' })).toThrow(/ADMIN_EMAIL and ADMIN_PASSWORD/);
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@example.org', ADMIN_PASSWORD: 'short' })).toThrow(/ADMIN_PASSWORD/);
    expect(loadConfig({ ADMIN_EMAIL: 'a@example.org', ADMIN_PASSWORD: 'long-enough-pw' }).adminEmail).toBe('a@example.org');
  });

  it('marks cookies Secure when the base URL is https', () => {
    const c = loadConfig({ BASE_URL: 'https://raum.example.org/', TRUST_PROXY: '1' });
    expect(c.baseUrl).toBe('https://raum.example.org');
    expect(c.secureCookies).toBe(true);
    expect(c.trustProxy).toBe(1);
  });

  it('starts an empty house with DEMO=0', () => {
    expect(loadConfig({ DEMO: '0' }).demo).toBe(false);
  });
});
