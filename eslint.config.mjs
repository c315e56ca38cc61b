import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'fs',
  'path',
  'http',
  'https',
  'crypto',
  'os',
  'child_process',
  'net',
  'worker_threads',
  'stream',
  'util',
  'events',
  'process',
  'timers',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      '.tools/**',
      '.data/**',
      'coverage/**',
      'web/dist/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The console: no `any` (the typed client gives every answer its type).
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    // Workflow code must replay deterministically: no I/O, no Node built-ins, no wall clock libraries.
    // The pure domain core is bundled into workflows too, so the same rule holds there.
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...NODE_BUILTINS,
            ...NODE_BUILTINS.map((m) => `node:${m}`),
            'pg',
            'kysely',
            'pino',
            'fastify',
            '@temporalio/client',
            '@temporalio/worker',
            '@temporalio/activity',
          ].map((name) => ({ name, message: 'not deterministic: keep I/O out of workflow code' })),
          patterns: [
            {
              group: [
                '../db',
                '../db/*',
                '../api',
                '../api/*',
                '../activities',
                '../activities/*',
                '../config',
                '../config/*',
              ],
              message: 'workflow code may only import types of I/O modules',
              allowTypeImports: true,
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'no I/O in workflow code' },
        { name: 'setTimeout', message: 'use sleep() from @temporalio/workflow' },
      ],
    },
  },
);
