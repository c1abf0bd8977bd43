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
      ],
    },
  ],
};

const electronOnlyHere = ['src/main/index.ts', 'src/main/desktop/ipc-bridge.ts', 'src/preload/**', 'e2e/electron/**'];

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
        { paths: [{ name: 'electron', message: 'Only the Electron entry (src/main/index.ts), its IPC bridge (src/main/desktop/ipc-bridge.ts) and the preload import electron.' }] },
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
