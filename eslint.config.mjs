// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** Folders say where code may run; these rules keep the arrows pointing one way. */
const whereCodeRuns = {
  'import/no-restricted-paths': [
    'error',
    {
      zones: [
        {
          target: './src/shared',
          from: ['./src/main', './src/preload', './src/renderer'],
          message: 'src/shared runs everywhere: it may import only src/shared.',
        },
        {
          target: './src/renderer',
          from: ['./src/main', './src/preload'],
          message: 'The renderer reaches main only through the transport; share types via src/shared.',
        },
        {
          target: './src/preload',
          from: ['./src/main', './src/renderer'],
          message: 'The preload bridge may import only src/shared.',
        },
        {
          target: './src/main',
          from: ['./src/renderer', './src/preload'],
          message: 'Main may not import renderer or preload code; share it via src/shared.',
        },
        {
          // The core runs without Electron: only the Electron entry reaches into its layer.
          target: './src/main/!(electron|index.ts)/**',
          from: './src/main/electron',
          message: 'The station core runs without Electron: only src/main/index.ts and src/main/electron/ import src/main/electron/.',
        },
        {
          // Test kits stand up fake clocks, stand-in cores and scratch folders: never part of the station.
          target: './src/{main,shared,renderer,preload}/**/!(*.test).{ts,tsx}',
          from: './src/test-support',
          message: 'Production code may not import test support (src/test-support/); only *.test.ts files, e2e/, bench/, soak/ and scripts/ do.',
        },
        {
          target: './src/test-support/main',
          from: ['./src/renderer', './src/preload'],
          message: 'Main-side test support may not import renderer or preload code.',
        },
        {
          target: './src/main/headless.ts',
          from: './src/main/electron',
          message: 'Headless runs without Electron: it may not import src/main/electron/.',
        },
      ],
    },
  ],
};

/** Where a file may import electron: the Electron entry, the Electron-only layer, the preload and its tests. */
const electronOnlyHere = ['src/main/index.ts', 'src/main/electron/**', 'src/preload/**', 'e2e/electron/**'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { import: importPlugin },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs'] } },
    },
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      ...whereCodeRuns,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: electronOnlyHere,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only the Electron entry (src/main/index.ts), the Electron layer (src/main/electron/) and the preload import electron; put plain decisions in src/main/desktop/.' }] },
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts', 'src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'Shared and renderer code never touch Electron.' },
            ...nodeBuiltins.map((name) => ({ name, message: 'Shared and renderer code run in browsers: no Node modules.' })),
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
  },
);
