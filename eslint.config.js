// @ts-check
// ESLint flat config for lakebook. `npm run lint` runs `eslint .` with this file.
//
// Structure:
//   1. global ignores (build output, test artefacts, generated data)
//   2. recommended rule sets: @eslint/js, typescript-eslint (syntax only, not type-aware), eslint-plugin-svelte
//   3. Svelte parsing: TypeScript inside `<script lang="ts">` and in `.svelte.ts` rune modules
//   4. globals per environment (browser / worker / node)
//   5. project-wide rule tweaks
//   6. layer boundaries (generated from LAYERS + BOUNDARIES below; see ../shared DESIGN.md §1)
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// ---------------------------------------------------------------------------------------------
// Layer boundaries
// ---------------------------------------------------------------------------------------------

/** One folder each under src/ (DESIGN.md §1). Add a folder here when a new layer appears. */
const LAYERS = /** @type {const} */ ([
  'engine',
  'notebook',
  'cells',
  'lake',
  'quality',
  'lineage',
  'privacy',
  'stream',
  'storage',
  'share',
  'ui',
  'cli',
]);

/** The feature layers that sit between the UI and {notebook, engine}. */
const FEATURE_LAYERS = ['cells', 'lake', 'quality', 'lineage', 'privacy', 'stream', 'storage', 'share'];

/** Regex source matching an npm package and any of its subpaths / `?url` / `?worker` variants. */
const pkg = (/** @type {string} */ name) =>
  `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:[/?]|$)`;

/** Regex source matching a relative import that climbs out of the current folder into one of `layers`. */
const layer = (/** @type {readonly string[]} */ ...layers) => `^(?:\\.\\./)+(?:${layers.join('|')})(?:[/?.]|$)`;

/**
 * Each boundary says what is forbidden (`forbid`: a regex source matched against the import
 * specifier), where (`in`: only these src folders, or `except`: every src folder — including files
 * directly in src/ and folders not listed in LAYERS — but these) and why (`message`).
 *
 * To add a rule, append an entry; the per-folder ESLint config objects are generated from this list,
 * so rules for the same folder never overwrite each other.
 * @typedef {{ forbid: string, message: string } & ({ in: readonly string[] } | { except: readonly string[] })} Boundary
 * @type {Boundary[]}
 */
const BOUNDARIES = [
  {
    forbid: pkg('@duckdb/duckdb-wasm'),
    except: ['engine'],
    message:
      'Only src/engine/ talks to DuckDB-WASM; other layers go through the `Engine` interface and see Arrow tables (DESIGN §1, STYLE smell 1).',
  },
  {
    forbid: pkg('parquet-wasm'),
    except: ['engine'],
    message: 'Parquet I/O lives in src/engine/ (parquet-wasm bridged via Arrow IPC); call the engine instead (DESIGN §1–2).',
  },
  {
    forbid: pkg('@duckdb/node-api'),
    except: ['cli'],
    message:
      'Native DuckDB (@duckdb/node-api) is only for the Node CLI (src/cli/) and bench/; browser code must never pull it in.',
  },
  {
    forbid: layer(...LAYERS.filter((l) => l !== 'notebook')),
    in: ['notebook'],
    message: 'src/notebook/ is the pure model shared with the CLI: it imports nothing from other src/ folders (STYLE "How lakebook applies this").',
  },
  {
    forbid: pkg('svelte'),
    in: ['notebook'],
    message: 'src/notebook/ is plain TypeScript tested in Node: no svelte, no DOM, no duckdb (DESIGN §1).',
  },
  {
    forbid: layer('ui', 'notebook', 'cells'),
    in: ['engine'],
    message: 'src/engine/ knows nothing about notebooks, cells or UI; they depend on it, never the reverse (DESIGN §1).',
  },
  {
    forbid: pkg('svelte'),
    in: ['engine'],
    message: 'src/engine/ is framework-free (it also runs in Node for the CLI and tests); keep svelte in src/ui/.',
  },
  {
    forbid: layer('ui'),
    in: FEATURE_LAYERS,
    message: 'Imports flow ui → cells/lake/quality/… → notebook, engine; feature layers must not reach back into src/ui/ (DESIGN §1).',
  },
  {
    forbid: pkg('svelte'),
    in: FEATURE_LAYERS,
    message: 'Feature layers are plain TypeScript (shared with the Node CLI); Svelte belongs in src/ui/ only.',
  },
];

/** The boundaries that bind `folder` (a LAYERS entry, or null for src/ root files and unlisted folders). */
const boundariesFor = (/** @type {string | null} */ folder) =>
  BOUNDARIES.filter((b) =>
    'in' in b ? folder !== null && b.in.includes(folder) : folder === null || !b.except.includes(folder),
  );

/** esquery can't take a literal `/` inside a /regex/ attribute selector. */
const toSelectorRegex = (/** @type {string} */ source) => `/${source.replace(/\//g, '\\x2F')}/`;

/** @returns {import('eslint').Linter.RulesRecord} */
const boundaryRules = (/** @type {Boundary[]} */ list) =>
  list.length === 0
    ? { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' }
    : {
        // Static `import`/`export … from` (type-only imports included: they couple layers too).
        'no-restricted-imports': ['error', { patterns: list.map((b) => ({ regex: b.forbid, message: b.message })) }],
        // `await import('…')` is not covered by no-restricted-imports; catch the literal-specifier case.
        'no-restricted-syntax': [
          'error',
          ...list.map((b) => ({
            selector: `ImportExpression[source.value=${toSelectorRegex(b.forbid)}]`,
            message: b.message,
          })),
        ],
      };

const boundaryConfigs = [
  // Catch-all first (src/ root, e.g. main.ts, and folders not yet in LAYERS) …
  { name: 'lakebook/boundaries/src', files: ['src/**'], rules: boundaryRules(boundariesFor(null)) },
  // … then one object per layer. Later objects replace a rule's options entirely, so each layer's
  // object carries the complete list for that folder.
  ...LAYERS.map((folder) => ({
    name: `lakebook/boundaries/${folder}`,
    files: [`src/${folder}/**`],
    rules: boundaryRules(boundariesFor(folder)),
  })),
];

// ---------------------------------------------------------------------------------------------

export default defineConfig(
  globalIgnores(
    [
      'dist/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
      'public/sample/',
      'e2e/.data/',
      'bench/results/',
      'bench/data/',
      '.vite/',
    ],
    'lakebook/ignores',
  ),

  js.configs.recommended,
  tseslint.configs.recommended,
  svelte.configs.recommended,

  {
    // `.svelte` components and `.svelte.ts` rune modules go through svelte-eslint-parser (set by
    // svelte.configs.recommended), which knows the runes ($state, $derived, $effect, $props, …) and
    // hands `<script lang="ts">` / the module body to the TypeScript parser.
    name: 'lakebook/svelte-typescript',
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.svelte'],
      },
    },
  },
  {
    // In `.svelte.ts` modules this rule reports every `new URL/Date/Map/Set(…)` anywhere inside an
    // exported declaration — i.e. every transient value in a store class method — whether or not it
    // is mutated or reactive (sveltejs/eslint-plugin-svelte#1271; the rule has no options in 3.x).
    // It stays on in `.svelte` components, where it only fires for instances that are actually mutated.
    name: 'lakebook/svelte-modules',
    files: ['**/*.svelte.ts', '**/*.svelte.js'],
    rules: { 'svelte/prefer-svelte-reactivity': 'off' },
  },
  {
    // TypeScript itself checks undefined names (incl. DOM/lib types used as annotations, which
    // no-undef misreports); typescript-eslint recommends turning it off for TS code.
    name: 'lakebook/svelte-no-undef',
    files: ['**/*.svelte'],
    rules: { 'no-undef': 'off' },
  },

  {
    name: 'lakebook/globals/browser',
    files: ['src/**'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Added on top of the browser globals: `*worker*` matches both the worker entry points and the
    // main-thread modules that start them.
    name: 'lakebook/globals/worker',
    files: ['src/**/*worker*.ts'],
    languageOptions: { globals: globals.worker },
  },
  {
    // Vitest runs src/**/*.test.ts in Node; the CLI and the node-* engine modules run there too.
    name: 'lakebook/globals/node-in-src',
    files: ['src/**/*.test.ts', 'src/cli/**', 'src/engine/node-*.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    // public/download-sw.js: the streamed-download service worker, served as is (no build step).
    name: 'lakebook/globals/service-worker',
    files: ['public/*-sw.js'],
    languageOptions: { globals: globals.serviceworker },
  },
  {
    name: 'lakebook/globals/node',
    files: ['scripts/**', 'e2e/**', 'bench/**', '*.config.*'],
    languageOptions: { globals: globals.node },
  },

  {
    name: 'lakebook/rules',
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },

  ...boundaryConfigs,
);
