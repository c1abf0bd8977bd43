import type { AppPages } from './app-pages';

/**
 * Whether the app's own session may load `url`: its own pages and what they contain, and nothing
 * from anywhere else. The CSP already keeps the page to itself; this holds for every web contents
 * and every kind of request, whatever a page's policy says.
 */
export function isAllowedRequest(url: string, pages: AppPages): boolean {
  if (pages.isAppPage(url)) return true;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // Made in the page from what it already has (CSV downloads, the blank favicon), or the built-in
  // developer tools; none of them reach the network.
  if (parsed.protocol === 'data:' || parsed.protocol === 'blob:' || parsed.protocol === 'devtools:') return true;
  // During `electron-vite dev` the page also talks to the dev server's hot-reload socket.
  if (pages.dev && (parsed.protocol === 'ws:' || parsed.protocol === 'wss:')) {
    return pages.isAppPage(`${parsed.protocol === 'wss:' ? 'https' : 'http'}://${parsed.host}${parsed.pathname}`);
  }
  return false;
}
