import { join } from 'node:path';
import { app, BrowserWindow, session } from 'electron';
import type { AppPages } from './app-pages';
import { contentSecurityPolicy } from '../../shared/csp';

/**
 * Hardening that applies to every web contents the app ever creates, not just the main window:
 * no navigation away from our pages, no new windows, no <webview>, no permission prompts.
 */
export function hardenWebContents(pages: AppPages): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  // Production pages get their CSP from the app:// handler; dev pages come from the Vite server,
  // so add it to those responses here.
  if (pages.dev) {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      if (!pages.isAppPage(details.url)) return callback({});
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy(true)] },
      });
    });
  }
}

export function openStationWindow(mainDir: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1120,
    height: 780,
    minWidth: 360,
    minHeight: 480,
    show: false,
    title: 'Tendril',
    backgroundColor: '#f3f5f0',
    autoHideMenuBar: true,
    webPreferences: {
      preload: join(mainDir, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  return window;
}
