import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from './app-pages';
import { contentSecurityPolicy } from '../../shared/csp';
import { CONTENT_TYPES } from '../../shared/content-types';

/**
 * Serves the built renderer under app://tendril/ instead of file://. A file page cannot carry
 * response headers (so no CSP header) and shares its origin with every other file on disk.
 */


/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  const rootDir = resolve(rendererDir);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return notFound();
    const file = resolve(rootDir, '.' + decodeURIComponent(url.pathname));
    // Refuse anything that resolves outside the build output (../ tricks, encoded slashes).
    if (!file.startsWith(rootDir + sep)) return notFound();
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Security-Policy': contentSecurityPolicy(false),
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return notFound();
    }
  });
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
}
