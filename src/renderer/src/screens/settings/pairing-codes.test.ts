import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { PairingResult } from '../../../../shared/admin';
import { PairingQr } from './pairing-codes';
import { pairingCode } from './pairing-links';
import { isPairingUrl, qrDataUrl } from './qr';

const PAIRED: PairingResult = {
  token: { id: 'a1', role: 'viewer', label: "Ben's phone", createdAt: 0, usedAt: null, source: 'paired' },
  links: ['http://192.168.1.50:4545/?token=watch123', 'http://10.0.0.7:4545/?token=watch123'],
};

describe('pairing codes', () => {
  it('puts the likeliest address in the code and lists the others', () => {
    expect(pairingCode(PAIRED)).toEqual({
      role: 'viewer',
      title: "Watch from Ben's phone",
      explains: expect.stringContaining('changes nothing'),
      url: PAIRED.links[0],
      others: [PAIRED.links[1]],
    });
    expect(pairingCode({ ...PAIRED, links: [] })).toBeNull();
  });

  it('renders the link with its heading, its address, the other addresses and a copy button', () => {
    const html = renderToStaticMarkup(createElement(PairingQr, { code: pairingCode(PAIRED)! }));
    expect(html).toContain('Watch from Ben&#x27;s phone');
    expect(html).toContain(PAIRED.links[0]);
    expect(html).toContain(PAIRED.links[1]);
    expect(html).toContain('aria-label="Copy the viewer link"');
    // The code itself is drawn after the first render.
    expect(html).toContain('Drawing the QR code…');
  });

  it('warns that a loopback address cannot pair a phone', () => {
    const loopback = { ...pairingCode(PAIRED)!, url: 'http://127.0.0.1:4545/?token=watch123' };
    expect(renderToStaticMarkup(createElement(PairingQr, { code: loopback }))).toContain('a phone cannot reach it');
    expect(renderToStaticMarkup(createElement(PairingQr, { code: pairingCode(PAIRED)! }))).not.toContain('a phone cannot reach it');
  });

  it('refuses to draw a code for something that is not a web address', () => {
    expect(isPairingUrl(PAIRED.links[0]!)).toBe(true);
    expect(isPairingUrl('javascript:alert(1)')).toBe(false);
    expect(isPairingUrl('not a url')).toBe(false);
    const html = renderToStaticMarkup(createElement(PairingQr, { code: { ...pairingCode(PAIRED)!, url: 'javascript:alert(1)' } }));
    expect(html).toContain('This is not a web address');
  });

  it('draws a QR code as an SVG data URL the CSP allows', async () => {
    const url = await qrDataUrl(PAIRED.links[0]!);
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    const svg = decodeURIComponent(url.slice(url.indexOf(',') + 1));
    expect(svg).toMatch(/^<svg[^>]*viewBox/);
    expect(svg).not.toContain('style=');
  });
});
