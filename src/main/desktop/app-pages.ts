import { join } from 'node:path';

/**
 * Where the window's own pages live, and how to recognise them. Every IPC message and every
 * response header decision goes through `isAppPage`, so a page that is not ours (a navigation
 * that slipped through, an injected frame) never reaches the station.
 */
export interface AppPages {
  /** The URL the window loads. */
  entry: string;
  /** True when `url` is one of the app's own pages. */
  isAppPage(url: string): boolean;
  /** True during `electron-vite dev`, where pages come from the Vite dev server. */
  dev: boolean;
}

/** Production pages are served from the build output under this scheme and host. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'tendril';

export function appPages(devServerUrl: string | undefined): AppPages {
  if (devServerUrl) {
    const devOrigin = new URL(devServerUrl).origin;
    return { entry: devServerUrl, dev: true, isAppPage: (url) => originOf(url) === devOrigin };
  }
  return {
    entry: `${APP_SCHEME}://${APP_HOST}/index.html`,
    dev: false,
    isAppPage: (url) => {
      const parsed = parse(url);
      return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
    },
  };
}

/** The built renderer, next to the built main bundle (out/main → out/renderer). */
export function rendererDir(mainDir: string): string {
  return join(mainDir, '../renderer');
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function originOf(url: string): string | null {
  return parse(url)?.origin ?? null;
}
