/* global module, process */
// @ts-check

/**
 * Installers for the desktop app: AppImage and deb on Linux, an NSIS installer on Windows, a dmg
 * on macOS. docs/packaging.md says how to build them and what each choice below is for.
 *
 * `TENDRIL_TEST_BUILD=1` makes a test build: the same app with the inspect fuse left on, so that
 * Playwright's `_electron` can attach to it. Test builds land in release/test and carry `test`
 * in their names. Never ship one.
 */
const testBuild = process.env.TENDRIL_TEST_BUILD === '1';

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'org.tendril.station',
  // Also in package.json, where Electron reads it at run time: it names the data folder
  // (~/.config/Tendril), which headless Tendril shares.
  productName: 'Tendril',
  copyright: 'Copyright © Tendril maintainers',

  directories: {
    buildResources: 'build',
    output: testBuild ? 'release/test' : 'release',
  },
  artifactName: testBuild
    ? '${productName}-${version}-test-${os}-${arch}.${ext}'
    : '${productName}-${version}-${os}-${arch}.${ext}',
  // Releases are uploaded by hand; never let a token in the environment publish one.
  publish: null,

  // electron-builder adds the production node_modules on its own. resources/ holds the tray and
  // window icons that the main process imports with `?asset`: electron-vite leaves those files
  // where they are and points at them relative to out/main, so they ship beside out/.
  files: ['out/**', 'package.json', 'resources/**'],

  // Both native modules are Node-API builds, prebuilt per platform, which load in Node and in
  // Electron alike. Rebuilding them against Electron's headers would gain nothing and would need
  // a compiler and a download.
  npmRebuild: false,

  asar: true,
  // A shared library cannot be loaded from inside the archive. libsql ships each platform's
  // binary as its own package (@libsql/linux-x64-gnu, @libsql/win32-x64-msvc, ...), and
  // serialport keeps its prebuilds inside @serialport/bindings-cpp. The tray and window icons
  // stay plain files too, for anything outside Electron that is handed their path.
  asarUnpack: [
    '**/node_modules/@serialport/bindings-cpp/**',
    '**/node_modules/@libsql/*/**',
    'resources/**',
  ],

  electronFuses: {
    // The grower's station runs this binary for months: it must not be reusable as a plain Node
    // interpreter, take options from the environment, or load code that is not in the signed
    // app.asar.
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: testBuild,
    enableCookieEncryption: true,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    // The window's pages come from the app:// scheme, never file://, so file:// pages get no
    // more than a browser would give them.
    grantFileProtocolExtraPrivileges: false,
    // Flipping fuses breaks Electron's own ad-hoc signature, and an unsigned arm64 Mac refuses to
    // start a binary whose signature is broken. Re-signs ad hoc on macOS; a real identity, when
    // there is one, signs over it afterwards.
    resetAdHocDarwinSignature: true,
  },

  linux: {
    target: ['AppImage', 'deb'],
    executableName: 'tendril',
    icon: 'build/icons',
    category: 'Utility',
    synopsis: 'Control panel for a hydroponic grow station',
  },

  win: {
    target: ['nsis'],
    icon: 'build/icon.png',
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    // The station database, the dose audit and the paired tokens live in the data folder; an
    // uninstall or an upgrade must never take them.
    deleteAppDataOnUninstall: false,
  },

  mac: {
    target: ['dmg'],
    icon: 'build/icon.png',
    category: 'public.app-category.utilities',
  },
};
