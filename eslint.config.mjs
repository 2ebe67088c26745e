import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['**/node_modules', '**/dist', '.nx', 'tmp', 'bench/results', 'coverage'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      // Dependencies point one way: apps -> domain libs -> base libs (ARCHITECTURE.md).
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'layer:app', onlyDependOnLibsWithTags: ['layer:domain', 'layer:auth', 'layer:base'] },
            { sourceTag: 'layer:testing', onlyDependOnLibsWithTags: ['layer:domain', 'layer:auth', 'layer:base'] },
            { sourceTag: 'layer:domain', onlyDependOnLibsWithTags: ['layer:domain', 'layer:auth', 'layer:base'] },
            { sourceTag: 'layer:auth', onlyDependOnLibsWithTags: ['layer:base'] },
            { sourceTag: 'layer:base', onlyDependOnLibsWithTags: ['layer:base'] },
            // The portal talks to the API over HTTP only: it imports no workspace lib.
            { sourceTag: 'layer:portal', onlyDependOnLibsWithTags: [] },
            // The ledger speaks of accounts and amounts, never of orders or members.
            { sourceTag: 'lib:ledger', onlyDependOnLibsWithTags: ['layer:base'] },
            { sourceTag: 'lib:network', notDependOnLibsWithTags: ['lib:routing', 'lib:ledger', 'lib:settlement', 'lib:health', 'lib:analytics'] },
            { sourceTag: 'lib:settlement', notDependOnLibsWithTags: ['lib:routing', 'lib:health', 'lib:analytics'] },
            // Routing ranks by relationship health, so health reads order history without importing routing.
            { sourceTag: 'lib:health', notDependOnLibsWithTags: ['lib:routing', 'lib:settlement', 'lib:analytics'] },
            { sourceTag: 'lib:routing', notDependOnLibsWithTags: ['lib:analytics'] },
            // Network analytics is read by the operator only: it builds on health and network, and nothing builds on it.
            { sourceTag: 'lib:analytics', notDependOnLibsWithTags: ['lib:routing', 'lib:settlement'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Specs, and the set-up they share (*.test-support.ts), may use the test harness; the production code of a lib may not.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.test-support.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, depConstraints: [{ sourceTag: '*', onlyDependOnLibsWithTags: ['*'] }] },
      ],
    },
  },
];
