import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { APP_HOST } from './app-pages';
import { contentSecurityPolicy } from '../../shared/csp';
import { CONTENT_TYPES } from '../../shared/content-types';

/**
 * Answers a request for app://tendril/… from the built renderer. The app serves its pages this
 * way instead of file://: a file page cannot carry response headers (so no CSP header) and shares
 * its origin with every other file on disk. Plain Node (fetch's Response), so it is tested
 * without Electron; the entry hands it to `protocol.handle`.
 */
export async function appPageResponse(rendererDir: string, requestUrl: string): Promise<Response> {
  const rootDir = resolve(rendererDir);
  const url = new URL(requestUrl);
  if (url.host !== APP_HOST) return notFound();
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return notFound();
  }
  const file = resolve(rootDir, '.' + path);
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
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
}
