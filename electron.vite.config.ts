import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = __dirname;

/**
 * The dev server injects inline scripts (React refresh) and inline styles (CSS hot reload) and
 * talks to its HMR websocket, which the strict production CSP in index.html forbids. Loosen it
 * for `electron-vite dev` only; the production page keeps the strict policy.
 */
function devContentSecurityPolicy(): Plugin {
  return {
    name: 'tendril:dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws: http://localhost:*");
    },
  };
}

export default defineConfig({
  main: {
    build: {
      // serialport, libsql, socket.io and friends stay in node_modules (native code cannot be
      // bundled); devDependencies are bundled in, so the built entries run after `npm ci --omit=dev`.
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: resolve(root, 'src/main/index.ts'),
          // Plain-node entries for a station without a window: `npm run serve` and the systemd
          // unit run out/main/headless.js, `npm run simulator` runs out/main/simulator.js.
          headless: resolve(root, 'src/main/headless.ts'),
          simulator: resolve(root, 'src/main/simulator/cli.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        // A sandboxed preload is loaded as a classic script: it cannot be an ES module.
        output: { format: 'cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    plugins: [react(), devContentSecurityPolicy()],
    build: {
      // Phones on the LAN download this page too; electron-vite leaves it unminified by default.
      minify: true,
      rolldownOptions: {
        input: { index: resolve(root, 'src/renderer/index.html') },
      },
    },
  },
});
