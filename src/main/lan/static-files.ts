import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentSecurityPolicy } from '../../shared/csp';
import { CONTENT_TYPES } from '../../shared/content-types';


/** The same policy as the desktop window: our own scripts and styles, our own server only. */
export const WEB_CSP = contentSecurityPolicy(false);

/**
 * Finds the built web UI: under out/ when run from source (src/main), next to the built main
 * bundle otherwise (out/main). The source layout is tried first because src/renderer holds an
 * index.html too, the unbuilt one.
 */
export function findWebRoot(fromDir: string): string | null {
  const candidates = [process.env.TENDRIL_WEB_ROOT, join(fromDir, '../../out/renderer'), join(fromDir, '../renderer')];
  for (const dir of candidates) if (dir && existsSync(join(dir, 'index.html'))) return resolve(dir);
  return null;
}

/**
 * Serves the built renderer. Unknown paths without an extension get index.html, so addresses
 * inside the app survive a reload. Paths never leave the web root.
 */
export function serveStatic(root: string | null, req: IncomingMessage, res: ServerResponse, pathname: string): void {
  if (!root) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The web UI has not been built yet. Run "npm run build" (or start with "npm run serve", which builds it), then reload.\n');
    return;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('malformed address\n');
    return;
  }
  let file = normalize(join(root, decoded));
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(404).end();
    return;
  }
  let stat = existsSync(file) ? statSync(file) : null;
  if (stat?.isDirectory()) {
    file = join(file, 'index.html');
    stat = existsSync(file) ? statSync(file) : null;
  }
  if (!stat && extname(file) === '') {
    file = join(root, 'index.html');
    stat = statSync(file);
  }
  if (!stat) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  const isHtml = extname(file) === '.html';
  // The manifest and its icons keep their names from build to build, so a phone must ask again.
  const keepsItsName = isHtml || extname(file) === '.webmanifest' || decoded.startsWith('/icons/');
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': stat.size,
    'x-content-type-options': 'nosniff',
    // Hashed asset names never change; the page itself must always be fresh.
    'cache-control': keepsItsName ? 'no-cache' : 'public, max-age=31536000, immutable',
    ...(isHtml ? { 'content-security-policy': WEB_CSP, 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}
