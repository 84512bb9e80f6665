// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';

// What each process may import. core/ runs in Node and the browser, so it may use neither Node
// built-ins nor native modules; renderer/ runs in a browser and reaches the hub only over its API.
const nodeOnly = [
  { group: ['node:*'], message: 'Node built-ins cannot run here (browser or pure domain code).' },
  {
    group: [
      'better-sqlite3',
      'fastify',
      '@fastify/*',
      'serialport',
      '@serialport/*',
      'pino',
      'ws',
      'node-thermal-printer',
    ],
    message: 'Native or server-only module: not runnable in this process.',
  },
];
const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'net',
  'http',
  'https',
  'stream',
  'events',
  'util',
  'url',
  'worker_threads',
];

const noFocusedOrSkippedTests = [
  { selector: "CallExpression[callee.property.name='only']", message: 'No .only tests.' },
  { selector: "CallExpression[callee.property.name='skip']", message: 'No skipped tests.' },
];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'renderer/dist', 'test-results', 'artifacts', 'bin/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': ['error', ...noFocusedOrSkippedTests],
    },
  },
  {
    // Code that runs for every request or event in the hub (core/records.ts says why).
    files: ['core/**/*.ts', 'hub/**/*.ts'],
    ignores: [
      '**/*.test.ts',
      'core/testing/**',
      'hub/testing/**',
      'core/input/**',
      'hub/cli/**',
      'hub/agent/**',
      'hub/run-hub.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...noFocusedOrSkippedTests,
        {
          selector: 'ObjectExpression[properties.length>1] > SpreadElement:first-child',
          message:
            'An object literal that starts with a spread survives young-generation GCs in Node 20: use withChanges() or merged() from core/records.ts.',
        },
      ],
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins,
          patterns: [
            ...nodeOnly,
            {
              group: ['**/hub/**', '**/renderer/**', '**/hardware/**', 'react', 'react-dom'],
              message: 'core/ is pure domain code: it imports nothing from other layers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/**/*.test.ts', 'renderer/e2e/**', 'renderer/vite.config.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins,
          patterns: [
            ...nodeOnly,
            {
              group: ['**/hub/**', '**/hardware/**'],
              message: 'Screens reach the hub only through its API (renderer/api).',
            },
          ],
        },
      ],
    },
  },
  {
    // The preload runs sandboxed: it may use Electron's renderer-side modules and shared types only.
    files: ['preload/**/*.ts'],
    ignores: ['preload/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins,
          patterns: [
            ...nodeOnly,
            {
              group: [
                '**/hub/**',
                '**/hardware/**',
                '**/server/**',
                '**/main/**',
                'react',
                'react-dom',
              ],
              message: 'A sandboxed preload cannot load this.',
            },
          ],
        },
      ],
    },
  },
  {
    // Electron's main process stays thin: the hub runs in a utility process (main/hub/hub-entry.ts
    // and hub-service.ts, the only main/ files that may load it), never in main itself.
    files: ['main/**/*.ts'],
    ignores: ['main/**/*.test.ts', 'main/hub/hub-entry.ts', 'main/hub/hub-service.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'react',
                'react-dom',
                '**/renderer/**',
                'better-sqlite3',
                '../../hub/**',
                '../../../hub/**',
              ],
              message:
                'The main process must not run screen code or the database (it would block every window).',
            },
          ],
        },
      ],
    },
  },
  {
    // Shell pages (setup, staff PIN) run sandboxed in a window: they reach main only through the preload.
    files: ['main/shell-pages/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins,
          patterns: [
            ...nodeOnly,
            {
              group: ['electron', '**/hub/**', '**/config/**', '**/security/**', '**/windows/**'],
              message: 'Shell pages run in a sandboxed page: only window.guichetShell.',
            },
          ],
        },
      ],
    },
  },
  {
    // Shared HTTP plumbing of the hub and the central server: it knows neither of them.
    files: ['http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'react',
                'react-dom',
                '**/renderer/**',
                '**/hub/**',
                '**/server/**',
                '**/hardware/**',
              ],
              message: 'http/ is shared by the hub and the server: it imports only core/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'react-dom', '**/renderer/**', '**/hub/**', '**/hardware/**'],
              message: 'The central server shares only core/ with the hub.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['hub/**/*.ts', 'hardware/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'react-dom', '**/renderer/**'],
              message: 'The hub never imports screen code.',
            },
          ],
        },
      ],
    },
  },
);
