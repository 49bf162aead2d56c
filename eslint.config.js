import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * Modules under src/ that reach tfjs through their value imports (directly or transitively),
 * as paths relative to src/ without extension. Computed from the sources each time, so a new
 * tfjs file is covered without editing this list. Type-only imports do not count: they vanish
 * when compiled.
 */
function tfjsModules(srcDir) {
  const importRe = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  const files = fs
    .readdirSync(srcDir, { recursive: true })
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => path.join(srcDir, f));
  const deps = new Map();
  const direct = new Set();
  for (const file of files) {
    const list = [];
    for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(importRe)) {
      if (spec.startsWith('@tensorflow/')) direct.add(file);
      if (!spec.startsWith('.')) continue;
      const base = path.resolve(path.dirname(file), spec).replace(/\.tsx?$/, '');
      const hit = [`${base}.ts`, `${base}.tsx`].find((c) => fs.existsSync(c));
      if (hit) list.push(hit);
    }
    deps.set(file, list);
  }
  const tainted = new Set(direct);
  for (let grew = true; grew;) {
    grew = false;
    for (const [file, list] of deps) {
      if (!tainted.has(file) && list.some((d) => tainted.has(d))) {
        tainted.add(file);
        grew = true;
      }
    }
  }
  return [...tainted].map((f) => path.relative(srcDir, f).replace(/\.tsx?$/, '')).sort();
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const TFJS_MODULES = tfjsModules(path.join(path.dirname(fileURLToPath(import.meta.url)), 'src'));

// Layering (docs/design.md, "Shape of the code"): core runs in Node and in workers, so it has no
// Node built-ins and no DOM; the page's main thread (ui, state) renders state and must not
// bundle tfjs (the build also checks this, see vite.config.ts).
const CORE_RESTRICTED = [
  {
    group: ['node:*', ...builtinModules.filter((m) => !m.startsWith('_'))],
    message: 'core runs in browsers too: Node-only code goes in src/node.',
  },
  {
    group: ['pngjs'],
    message: 'pngjs needs Node (zlib): use src/node/image/codecNode from Node code.',
  },
  {
    group: ['react', 'react-dom', 'react-dom/*', 'd3', 'd3-*', 'zustand'],
    message: 'core has no DOM or UI: UI code goes in src/ui or src/state.',
  },
  {
    regex: '^(\\.\\./)+(ui|state|worker|cli|node|browser)(/|$)',
    message: 'core imports nothing outside core (it is the bottom layer).',
  },
];
const DOM_GLOBALS = [
  'document',
  'window',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'OffscreenCanvas',
  'createImageBitmap',
  'HTMLCanvasElement',
  'HTMLImageElement',
].map((name) => ({ name, message: 'core has no DOM: browser code goes in src/browser.' }));

const MAIN_THREAD_RESTRICTED = [
  {
    group: ['@tensorflow/*'],
    message: 'ui and state run on the main thread: tfjs belongs in the workers.',
  },
  {
    regex: `(^|/)(${TFJS_MODULES.map(escape).join('|')})(\\.tsx?)?$`,
    allowTypeImports: true,
    message: 'this module pulls in tfjs: ui and state may import its types only.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist',
      'node_modules',
      'public',
      'test-results',
      'playwright-report',
      'reports',
      '.stryker-tmp',
      'kernels',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Tests may read fixtures and datasets from disk; the code they test may not.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: CORE_RESTRICTED }],
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
    },
  },
  {
    // Tests run in Node and may compare against the tfjs code; only shipped code is checked.
    files: ['src/ui/**/*.{ts,tsx}', 'src/state/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: MAIN_THREAD_RESTRICTED }],
    },
  },
);
