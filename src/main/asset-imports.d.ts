/**
 * Files the main process imports with electron-vite's `?asset` suffix, such as
 * `import trayIcon from '../../resources/tray.png?asset'`. The import is the file's absolute path
 * at run time. Files under resources/ (electron-vite's public folder for main) keep their names
 * and stay where they are, next to out/, so `tray@2x.png` sits beside `tray.png` in a package too.
 */
declare module '*.png?asset' {
  const path: string;
  export default path;
}
