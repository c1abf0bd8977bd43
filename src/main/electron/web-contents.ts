/**
 * Hardening that applies to every web contents the app ever creates, not just the main window:
 * no navigation away from our pages, no new windows (a plain web link goes to the system
 * browser), no <webview>, no permission prompts, and no requests to anything but the app's own
 * pages.
 */
import { app, protocol, session, shell } from 'electron';
import { contentSecurityPolicy } from '../../shared/csp';
import { APP_SCHEME, rendererDir, type AppPages } from '../desktop/app-pages';
import { appPageResponse } from '../desktop/app-protocol';
import { isAllowedRequest } from '../desktop/request-filter';
import { externalLink } from './external-links';

/** Must be called before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves production pages from the built renderer beside `mainDir`; dev pages come from Vite. */
export function serveAppPages(pages: AppPages, mainDir: string): void {
  if (pages.dev) return;
  const dir = rendererDir(mainDir);
  protocol.handle(APP_SCHEME, (request) => appPageResponse(dir, request.url));
}

export function hardenWebContents(pages: AppPages): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    // will-navigate covers only the top frame; this one covers frames inside the page too.
    contents.on('will-frame-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    // No new windows. A link meant for a new tab (the Stations screen's "open" of another
    // station's screens) goes to the system browser instead, if it is a plain web address.
    contents.setWindowOpenHandler(({ url }) => {
      const link = externalLink(url);
      if (link) void shell.openExternal(link); /* eng-disable OPEN_EXTERNAL_JS_CHECK: only http(s) addresses with a host and no credentials pass externalLink (external-links.ts, tested there) */
      return { action: 'deny' };
    });
  });

  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // No remote content, ever: whatever a page asks for, only the app's own pages load.
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url, pages) }));

  // Production pages get their CSP from the app:// handler; dev pages come from the Vite server,
  // so add it to those responses here.
  if (pages.dev) {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      if (!pages.isAppPage(details.url)) return callback({});
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy(true)] }, /* eng-disable CSP_GLOBAL_CHECK: the policy is built in src/shared/csp.ts, which the scanner cannot follow; the meta tag in index.html carries the production one */
      });
    });
  }
}
