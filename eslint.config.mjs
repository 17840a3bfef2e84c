import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/tmp', '**/*.cjs', '**/*.mjs', '**/jest.config.cts'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // Apps never import apps; pure domain libs import only other pure libs.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:pure', 'type:data', 'type:adapter'] },
            // the Nest app shell (libs/platform): framework and IO at the edge, below the apps
            { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:pure', 'type:data', 'type:adapter'] },
            { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:pure', 'type:data'] },
            { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['type:pure', 'type:data', 'type:test'] },
            // benchmarks start real services the way the integration tests do
            { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:pure', 'type:data', 'type:test'] },
            {
              sourceTag: 'type:pure',
              onlyDependOnLibsWithTags: ['type:pure'],
              bannedExternalImports: [
                '@nestjs/*', 'aedes', 'aedes-*', 'mqtt', 'pg', 'typeorm', 'modbus-serial', 'influx',
                '@influxdata/*', 'ws', 'argon2', 'node:fs', 'node:net', 'node:http', 'fs', 'net', 'http',
              ],
            },
          ],
        },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
    },
  },
  {
    // Specs may use the test-support lib (real services on their own ports); production code may not.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          depConstraints: [{ sourceTag: '*', onlyDependOnLibsWithTags: ['type:pure', 'type:data', 'type:adapter', 'type:test'] }],
        },
      ],
    },
  },
  {
    // CLI, simulator and benchmarks talk to a terminal on purpose.
    files: ['apps/cli/**/*.ts', 'apps/simulator/**/*.ts', 'apps/bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
];
