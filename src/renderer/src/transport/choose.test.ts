import { describe, expect, it } from 'vitest';
import { screenName } from './choose';

describe('screenName', () => {
  it('names the device and browser a grower would recognise', () => {
    expect(screenName('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36')).toBe('Android phone, Chrome');
    expect(screenName('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1')).toBe('iPhone, Safari');
    expect(screenName('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0')).toBe('Windows PC, Edge');
    expect(screenName('curl/8.0')).toBe('screen');
  });
});
