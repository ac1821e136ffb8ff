import type { Rule } from 'eslint';

/** Which layers each layer may import, and which npm packages / Node built-ins it may use. */
export const RULES: Record<string, unknown>;
/** The layer a repository-relative path belongs to, or null when it is outside every layer. */
export function layerOf(rel: string): string | null;
/** The `qiview/layers` ESLint rule. */
export const layersRule: Rule.RuleModule;
declare const plugin: { rules: { layers: Rule.RuleModule } };
export default plugin;
