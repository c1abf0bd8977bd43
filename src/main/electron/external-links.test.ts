import { describe, expect, it } from 'vitest';
import { externalLink } from './external-links';

describe("the links the desktop opens in the system browser", () => {
  it("opens another station's screens", () => {
    expect(externalLink('http://192.168.1.20:4600/')).toBe('http://192.168.1.20:4600/');
    expect(externalLink('https://veg-room.local')).toBe('https://veg-room.local/');
  });

  it('drops anything that is not a plain web address', () => {
    for (const link of ['file:///etc/passwd', 'javascript:alert(1)', 'ms-settings:', 'smb://nas/share', 'app://tendril/index.html', 'not a link', 'http://', `http://a.example/${'x'.repeat(2100)}`]) {
      expect(externalLink(link), link).toBeNull();
    }
  });

  it('drops a link that carries a user name or password', () => {
    expect(externalLink('http://grower:secret@192.168.1.20:4600/')).toBeNull();
    expect(externalLink('http://grower@192.168.1.20:4600/')).toBeNull();
  });
});
