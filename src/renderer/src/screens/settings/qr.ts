/**
 * A QR code as an image the page's CSP allows (img-src data:). Drawn dark on light whatever the
 * theme, because phone cameras read that way round; the qrcode library loads only when a code
 * is drawn.
 */
export async function qrDataUrl(text: string): Promise<string> {
  const { toString } = await import('qrcode');
  const svg = await toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000ff', light: '#ffffffff' } });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** Only a web address is worth a code; anything else is a mistake to show, not to scan. */
export function isPairingUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}
