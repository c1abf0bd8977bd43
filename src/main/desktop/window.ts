import { join } from 'node:path';

/**
 * The station window's options. Plain data, so the security settings can be read (and tested)
 * in one place; the entry passes them to BrowserWindow, with the place the window had last time.
 */
export function stationWindowOptions(mainDir: string, icon?: string) {
  return {
    width: 1120,
    height: 780,
    minWidth: 360,
    minHeight: 480,
    show: false,
    title: 'Tendril',
    backgroundColor: '#f3f5f0',
    autoHideMenuBar: true,
    // The taskbar and window icon on Linux and Windows; macOS takes the app bundle's.
    ...(icon ? { icon } : {}),
    webPreferences: {
      preload: join(mainDir, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // A middle click on a link asks for a new window. The entry refuses every new window
      // anyway; this keeps the click from being an event the page could act on at all.
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  };
}
