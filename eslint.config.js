// ESLint (flat config): a few type-aware rules that catch real mistakes — a promise nobody awaits or handles, a
// promise where a boolean or a void callback is expected, a value computed and dropped — and no style rules (tsc's
// strict mode and the review do the rest). Run by `npm run lint`, with the layer rules of .dependency-cruiser.cjs.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Mistakes that need no types: the same for the TypeScript sources and the plain JavaScript files. */
const untypedRules = {
  // An expression whose value is dropped (a comparison or property read on its own line); `a && f()` and
  // `c ? f() : g()` as statements are allowed.
  'no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
  // A comparison or `??` whose result cannot change (`a ?? b === c`, `!x == null`).
  'no-constant-binary-expression': 'error',
  // A return, throw, break or continue in `finally` that silently replaces the try block's outcome.
  'no-unsafe-finally': 'error',
  // Unused imports, variables and parameters; `_name` marks one that is unused on purpose.
  'no-unused-vars': ['error', {
    args: 'after-used',
    argsIgnorePattern: '^_',
    varsIgnorePattern: '^_',
    caughtErrors: 'none',
    destructuredArrayIgnorePattern: '^_',
    ignoreRestSiblings: true,
  }],
};

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'kafka/', 'coverage/'] },
  // Some files carry disable comments for rules of ESLint's recommended set that this config does not turn on.
  { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: untypedRules,
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      // A promise that is neither awaited, returned, nor given a .catch: its rejection is lost (or kills the process).
      // node:test's test() and describe() return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }],
      }],
      // A promise passed where a boolean or a void-returning callback is expected (if (p), emitter.on('x', async …)).
      '@typescript-eslint/no-misused-promises': 'error',
      // `await` on something that is not a promise: usually a missing call or a wrong type.
      '@typescript-eslint/await-thenable': 'error',
      // The same checks as untypedRules, in their TypeScript-aware versions (they understand types and overloads).
      '@typescript-eslint/no-unused-expressions': untypedRules['no-unused-expressions'],
      'no-constant-binary-expression': 'error',
      'no-unsafe-finally': 'error',
      '@typescript-eslint/no-unused-vars': untypedRules['no-unused-vars'],
    },
  },
);
