// ESLint (flat config): TypeScript's recommended rules, no import cycles, and the boundaries
// between the layers of src/ (web/README.md "Layout"):
//
//   api/, i18n/, lib/          import no component and no feature
//   auth/                      the session and the sign-in screen; imports no feature
//   components/                shared UI; imports no feature
//   features/records/          the generic record engine; imports no other feature (features
//                              plug into it through features/records/registry.ts)
//   features/X/                may import features/records (the engine) and nothing of another
//                              feature, except features/home, which shows tasks (features/tasks)
//   features/registry.ts       the one place that wires features into the engine (SignedInApp.tsx)
//   App.tsx, auth/, BootStates the first page: no Ant Design import (it loads with the signed-in app)
//
// `npm run lint` runs it with zero warnings allowed; ctest's web_lint runs it (web_unit runs Vitest).
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';

const features = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

// Which other features a feature may import, beyond the record engine.
const ALSO_ALLOWED = { home: ['tasks'] };

const featureZones = features.map((f) => ({
  target: `./src/features/${f}`,
  from: './src/features',
  except: [`./${f}`, ...(f === 'records' ? [] : ['./records']), ...(ALSO_ALLOWED[f] ?? []).map((x) => `./${x}`)],
  message: f === 'records'
    ? 'features/records is the generic engine: register entity-specific parts from the feature (features/registry.ts) instead.'
    : `features/${f} may use the record engine (features/records), not another feature; move shared code to components/ or lib/.`,
}));

export default tseslint.config(
  { ignores: ['dist/**', 'builds/**', 'node_modules/**', 'src/api/schema.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}', 'vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'import-x': importX },
    settings: {
      // Follow imports into TypeScript files (no-cycle reads every module it reaches).
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...featureZones,
            {
              target: './src/components',
              from: './src/features',
              message: 'components/ is shared UI and imports no feature.',
            },
            {
              target: ['./src/api', './src/lib', './src/i18n'],
              from: ['./src/features', './src/components', './src/auth/LoginPage.tsx'],
              message: 'api/, lib/ and i18n/ import no component and no feature.',
            },
            {
              target: './src/auth',
              from: './src/features',
              message: 'auth/ (session, sign-in screen) imports no feature.',
            },
          ],
        },
      ],
      // Form.Item and antd inject values of whatever type a field holds; the inputs narrow them.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The first page (sign-in, the session check) loads no Ant Design (README "First load").
    files: ['src/main.tsx', 'src/App.tsx', 'src/auth/**', 'src/components/BootStates.tsx', 'src/i18n/**', 'src/api/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['antd', 'antd/*', '@ant-design/*'],
          message: 'The sign-in page loads no Ant Design: use plain markup here (styles.css), or move the code into the signed-in app.',
        }],
      }],
    },
  },
  {
    // The engine names no entity: what differs per entity is a display choice (api/entities.ts)
    // or something a feature registers. Activities are the engine's own (every record page has
    // a timeline of them), said where they are used.
    files: ['src/features/records/**/*.{ts,tsx}'],
    ignores: ['src/features/records/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: 'Literal[value=/^(accounts|contacts|leads|deals|tasks|products|orders|pipelines|activities)$/]',
        message: 'features/records is the generic engine: put what is special to one entity in DISPLAY (api/entities.ts) or register it from the feature (features/registry.ts).',
      }],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: { ...globals.node } },
  },
);
