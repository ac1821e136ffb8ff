// @ts-check
/**
 * qiview/layers: the process and layer boundaries of Qiview, enforced on every import.
 *
 * Each source file belongs to a layer (decided by its path). Each layer lists which other layers and which kinds of
 * npm packages it may import. Relative imports are resolved first, so `../../core/node/x` from the renderer is caught
 * just like `node:fs`. The table below is the single source of truth; README "Architecture" describes it in prose.
 */
import path from 'node:path';
import { builtinModules } from 'node:module';

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
/** Packages that render UI or need a DOM. */
const UI_PACKAGES = [
  'react',
  'react-dom',
  'zustand',
  '@cornerstonejs/core',
  '@cornerstonejs/tools',
  'chart.js',
];
/** Packages that only work in Node (native addons, sockets, processes). */
const NODE_PACKAGES = [
  'better-sqlite3',
  'pg',
  'bullmq',
  'ioredis',
  'onnxruntime-node',
  'commander',
  'cli-progress',
  'electron-builder',
];
const ELECTRON = ['electron'];

/**
 * @typedef {{ layers: string[], node?: boolean, ui?: boolean, nodePackages?: boolean, electron?: boolean,
 *   packages?: boolean | string[] }} LayerRule
 */
/** @type {Record<string, LayerRule>} layer -> what it may import (its own layer is always allowed). */
export const RULES = {
  sdk: { layers: [], packages: ['zod', 'semver'] },
  plugin: { layers: ['sdk'], packages: false },
  'core/common': { layers: ['sdk', 'wasm'] },
  'core/browser': { layers: ['sdk', 'wasm', 'core/common', 'plugin'] },
  'core/node': {
    layers: ['sdk', 'wasm', 'wasm/node', 'core/common', 'plugin'],
    node: true,
    nodePackages: true,
  },
  wasm: { layers: ['sdk'] },
  // Node loader for the wasm kernels (reads the .wasm file); Node-side layers may use it.
  'wasm/node': { layers: ['sdk', 'wasm'], node: true },
  renderer: { layers: ['sdk', 'wasm', 'core/common', 'core/browser', 'electron/common'], ui: true },
  'electron/preload': { layers: ['electron/common'], electron: true, packages: false },
  'electron/common': { layers: ['sdk', 'core/common'] },
  'electron/main': {
    layers: ['sdk', 'core/common', 'core/node', 'electron/common', 'wasm', 'wasm/node'],
    node: true,
    nodePackages: true,
    electron: true,
  },
  cli: {
    layers: ['sdk', 'wasm', 'wasm/node', 'core/common', 'core/node', 'plugin'],
    node: true,
    nodePackages: true,
  },
};

/** @param {string} rel path relative to the repo root, with forward slashes */
export function layerOf(rel) {
  if (rel.startsWith('plugins/sdk/')) return 'sdk';
  if (rel.startsWith('plugins/')) return 'plugin';
  for (const l of [
    'core/common',
    'core/browser',
    'core/node',
    'electron/preload',
    'electron/common',
    'electron/main',
  ]) {
    if (rel.startsWith(l + '/')) return l;
  }
  if (rel.startsWith('wasm/node/')) return 'wasm/node';
  if (rel.startsWith('wasm/')) return 'wasm';
  if (rel.startsWith('renderer/')) return 'renderer';
  if (rel.startsWith('cli/')) return 'cli';
  return null; // tests, tools, configs: unrestricted
}

/** @param {string} spec */
function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const ALIASES = [
  ['@qiview/sdk', 'plugins/sdk/index.ts'],
  ['@qiview/sdk/', 'plugins/sdk/'],
  ['@qiview/core/', 'core/'],
];

/** @type {import('eslint').Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    schema: [],
    messages: { forbidden: '{{layer}} may not import "{{spec}}": {{why}}' },
  },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const layer = layerOf(file);
    if (!layer) return {};
    const rule = RULES[layer];
    // Tests live next to the code they test; they may use test tools and Node, but not cross layers.
    const isTest = /\.(test|bench)\.tsx?$/.test(file);
    const pluginDir = layer === 'plugin' ? file.split('/').slice(0, 2).join('/') + '/' : null;

    /** @param {any} node @param {string} spec */
    function check(node, spec) {
      /** @param {string} why */
      const report = (why) => context.report({ node, messageId: 'forbidden', data: { layer, spec, why } });
      let target = null;
      if (spec.startsWith('.')) {
        target = path
          .relative(root, path.resolve(path.dirname(context.filename), spec))
          .split(path.sep)
          .join('/');
      } else {
        for (const [alias, to] of ALIASES) {
          if (spec === alias || (alias.endsWith('/') && spec.startsWith(alias))) {
            target = alias.endsWith('/') ? to + spec.slice(alias.length) : to;
            break;
          }
        }
      }
      if (target !== null) {
        if (target.startsWith('..')) return report('it leaves the repository');
        const tl = layerOf(target);
        if (layer === 'plugin' && tl === 'plugin' && pluginDir && !target.startsWith(pluginDir)) {
          return report('a plugin may not import another plugin');
        }
        if (tl === null || tl === layer) return;
        if (!rule.layers.includes(tl)) return report(`layer "${tl}" is not below it`);
        return;
      }
      if (isTest) return;
      if (NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(packageName(spec))) {
        if (!rule.node) report('Node built-ins are not available in this layer');
        return;
      }
      const pkg = packageName(spec);
      if (ELECTRON.includes(pkg)) {
        if (!rule.electron) report('only the Electron shell may import electron');
        return;
      }
      if (UI_PACKAGES.includes(pkg) && !rule.ui) return report('UI-free code may not import UI packages');
      if (NODE_PACKAGES.includes(pkg) && !rule.nodePackages) return report('Node-only package');
      if (rule.packages === false) return report('this layer may import no npm packages');
      if (Array.isArray(rule.packages) && !rule.packages.includes(pkg)) {
        return report(`only ${rule.packages.join(', ')} are allowed here`);
      }
    }
    return {
      ImportDeclaration: (n) => check(n, String(n.source.value)),
      ExportNamedDeclaration: (n) => n.source && check(n, String(n.source.value)),
      ExportAllDeclaration: (n) => check(n, String(n.source.value)),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, String(n.source.value)),
      CallExpression: (n) => {
        if (
          n.callee.type === 'Identifier' &&
          n.callee.name === 'require' &&
          n.arguments[0]?.type === 'Literal'
        ) {
          check(n, String(n.arguments[0].value));
        }
      },
    };
  },
};

export default { rules: { layers: layersRule } };
