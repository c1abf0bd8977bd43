import { describe, expect, it } from 'vitest';
import { appPages } from './app-pages';
import { isAllowedRequest } from './request-filter';

describe('what the app’s session may load', () => {
  it('loads the app’s own pages and what the page makes itself, nothing remote', () => {
    const pages = appPages(undefined);
    for (const url of ['app://tendril/index.html', 'app://tendril/assets/index-abc.js', 'data:,', 'blob:app://tendril/5b1c-…', 'devtools://devtools/bundled/inspector.html']) {
      expect(isAllowedRequest(url, pages), url).toBe(true);
    }
    for (const url of ['https://example.com/', 'http://127.0.0.1:4545/api/state', 'ws://127.0.0.1:4545/socket.io/', 'file:///etc/passwd', 'app://other/index.html', 'not a url']) {
      expect(isAllowedRequest(url, pages), url).toBe(false);
    }
  });

  it('lets the dev server and its hot-reload socket through during development only', () => {
    const dev = appPages('http://localhost:5173/');
    expect(isAllowedRequest('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isAllowedRequest('ws://localhost:5173/', dev)).toBe(true);
    expect(isAllowedRequest('ws://localhost:5174/', dev)).toBe(false);
    expect(isAllowedRequest('https://cdn.example.com/react.js', dev)).toBe(false);
    expect(isAllowedRequest('ws://localhost:5173/', appPages(undefined))).toBe(false);
  });
});
