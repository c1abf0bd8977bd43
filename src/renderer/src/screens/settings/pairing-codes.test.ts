import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PairingCodes } from './pairing-codes';
import { pairingCodes } from './pairing-links';
import { isPairingUrl, qrDataUrl } from './qr';

const LINKS = { viewer: 'http://192.168.1.50:4545/?token=watch123', operator: 'http://192.168.1.50:4545/?token=control456' };

describe('pairing codes', () => {
  it('shows a viewer code and an operator code, viewer first', () => {
    expect(pairingCodes(LINKS).map((code) => [code.role, code.url])).toEqual([
      ['viewer', LINKS.viewer],
      ['operator', LINKS.operator],
    ]);
    expect(pairingCodes(null)).toEqual([]);
  });

  it('explains where the links are when this screen does not know them', () => {
    const html = renderToStaticMarkup(createElement(PairingCodes, { links: null, desktop: false }));
    expect(html).toContain('Pairing links are printed by the station when it starts (<code>npm run serve</code>) and shown here in the desktop app.');
    expect(html).not.toContain('<img');
    expect(renderToStaticMarkup(createElement(PairingCodes, { links: null, desktop: true }))).toContain('writes them to its log');
  });

  it('renders each link with its heading, its address and a copy button', () => {
    const html = renderToStaticMarkup(createElement(PairingCodes, { links: LINKS, desktop: true }));
    expect(html).toContain('Pair a screen to watch');
    expect(html).toContain('Pair a screen to control');
    expect(html).toContain(LINKS.viewer);
    expect(html).toContain(LINKS.operator);
    expect(html).toContain('aria-label="Copy the viewer link"');
    expect(html).toContain('aria-label="Copy the operator link"');
    // The code itself is drawn after the first render.
    expect(html).toContain('Drawing the QR code…');
  });

  it('refuses to draw a code for something that is not a web address', () => {
    expect(isPairingUrl(LINKS.viewer)).toBe(true);
    expect(isPairingUrl('javascript:alert(1)')).toBe(false);
    expect(isPairingUrl('not a url')).toBe(false);
    const html = renderToStaticMarkup(createElement(PairingCodes, { links: { viewer: 'javascript:alert(1)', operator: LINKS.operator }, desktop: true }));
    expect(html).toContain('This is not a web address');
  });

  it('draws a QR code as an SVG data URL the CSP allows', async () => {
    const url = await qrDataUrl(LINKS.operator);
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    const svg = decodeURIComponent(url.slice(url.indexOf(',') + 1));
    expect(svg).toMatch(/^<svg[^>]*viewBox/);
    expect(svg).not.toContain('style=');
  });
});
