import { join } from 'node:path';

/**
 * The station window's options. Plain data, so the security settings can be read (and tested)
 * in one place; the entry passes them to BrowserWindow.
 */
export function stationWindowOptions(mainDir: string) {
  return {
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
  };
}
