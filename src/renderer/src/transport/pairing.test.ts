import { describe, expect, it } from 'vitest';
import { takePairingToken, type PairingPage } from './pairing';

function page(href: string, stored: Record<string, string> = {}): PairingPage & { shown: string; stored: Record<string, string> } {
  const fake = {
    shown: href,
    stored,
    location: { href },
    history: {
      replaceState: (_data: unknown, _unused: string, url: string) => {
        fake.shown = new URL(url, href).href;
      },
    },
    localStorage: {
      getItem: (key: string) => stored[key] ?? null,
      setItem: (key: string, value: string) => {
        stored[key] = value;
      },
    },
  };
  return fake;
}

describe('takePairingToken', () => {
  it('keeps the token from the pairing link and takes it out of the address bar', () => {
    const phone = page('http://10.0.0.5:4545/?token=abc123&tab=jobs#top');
    expect(takePairingToken(phone)).toBe('abc123');
    expect(phone.shown).toBe('http://10.0.0.5:4545/?tab=jobs#top');
    expect(phone.stored['tendril.token']).toBe('abc123');
  });

  it('uses the stored token on later visits', () => {
    expect(takePairingToken(page('http://10.0.0.5:4545/', { 'tendril.token': 'kept' }))).toBe('kept');
  });

  it('a newer pairing link replaces the stored token', () => {
    const phone = page('http://10.0.0.5:4545/?token=new', { 'tendril.token': 'old' });
    expect(takePairingToken(phone)).toBe('new');
    expect(phone.stored['tendril.token']).toBe('new');
  });

  it('has nothing for a screen that was never paired', () => {
    expect(takePairingToken(page('http://10.0.0.5:4545/'))).toBeNull();
  });
});
