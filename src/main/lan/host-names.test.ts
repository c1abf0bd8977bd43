import { describe, expect, it } from 'vitest';
import { hostName, HostNames } from './host-names';

describe('hostName', () => {
  it('takes the name from a Host header or an origin, lowercased, without port or final dot', () => {
    expect(hostName('Grow.Example.com:8443')).toBe('grow.example.com');
    expect(hostName('https://grow.example.com')).toBe('grow.example.com');
    expect(hostName('tendril.local.')).toBe('tendril.local');
    expect(hostName('[::1]:4545')).toBe('[::1]');
    expect(hostName('192.168.1.50')).toBe('192.168.1.50');
  });

  it('finds no name in what is not a host', () => {
    for (const junk of ['', 'evil.example/path', 'user:pass@evil.example', 'a b', 'http://']) expect(hostName(junk), junk).toBeNull();
  });
});

describe('HostNames', () => {
  it('answers to loopback, its own addresses and the configured names, on any port', () => {
    const names = new HostNames(['grow.example.com'], () => ['http://192.168.1.50:4545']);
    for (const host of ['localhost:4545', '127.0.0.1:4545', '127.0.1.1', '[::1]:4545', '192.168.1.50:4545', '192.168.1.50:8080', 'grow.example.com', 'GROW.EXAMPLE.COM:443']) {
      expect(names.allows(host), host).toBe(true);
    }
    for (const host of [undefined, '', 'evil.example:4545', 'grow.example.com.evil.example', '192.168.1.51:4545', 'localhost.evil.example']) {
      expect(names.allows(host), String(host)).toBe(false);
    }
  });

  it('asks for its addresses again when a name is not known, since they change while it runs', () => {
    let origins = ['http://192.168.1.50:4545'];
    const names = new HostNames([], () => origins);
    expect(names.allows('192.168.1.50:4545')).toBe(true);
    origins = ['http://10.0.0.7:4545'];
    expect(names.allows('10.0.0.7:4545')).toBe(true);
    expect(names.allows('192.168.1.50:4545')).toBe(false);
  });

  it('says what to do about a refused name', () => {
    const names = new HostNames([], () => []);
    expect(names.refusal('evil.example')).toMatch(/does not answer to the name "evil\.example".*"hostNames" in the "lan" section of settings\.json/);
    expect(names.refusal(undefined)).toMatch(/no Host header/);
  });
});
