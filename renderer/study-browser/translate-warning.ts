/**
 * Series warnings come from core (sortByGeometry, groupInstances) in English; the browser shows a translated summary
 * of the known ones and keeps the English detail as a tooltip. Unknown warnings are shown as they are.
 */
import type { StringKey } from '../i18n/strings';

const PATTERNS: Array<[RegExp, StringKey]> = [
  [/opens as a plain stack/, 'browser.warn.stack'],
  [/duplicate instance/, 'browser.warn.duplicates'],
  [/share a slice position/, 'browser.warn.samePosition'],
  [/uneven slice spacing/, 'browser.warn.uneven'],
  [/generated UIDs/, 'browser.warn.generatedUids'],
];

/** The string key summarising `warning`, or undefined for an unknown warning. */
export function warningKey(warning: string): StringKey | undefined {
  return PATTERNS.find(([re]) => re.test(warning))?.[1];
}
