/** All feature dictionaries merged. Add a new feature file here. */
import common from './common';
import viewer from './viewer';
import browser from './browser';
import results from './results';
import pluginAdmin from './plugin-admin';
import plugins from './plugins';
import report from './report';

const parts = [common, viewer, browser, results, pluginAdmin, plugins, report];

export const dictionaries = {
  en: Object.assign({}, ...parts.map((p) => p.en)) as Record<string, string>,
  'zh-CN': Object.assign({}, ...parts.map((p) => p['zh-CN'])) as Record<string, string>,
};

export type StringKey =
  | keyof typeof common.en
  | keyof typeof viewer.en
  | keyof typeof browser.en
  | keyof typeof results.en
  | keyof typeof pluginAdmin.en
  | keyof typeof plugins.en
  | keyof typeof report.en;

/** For the completeness test: each feature's dictionaries, by name. */
export const featureDictionaries = { common, viewer, browser, results, pluginAdmin, plugins, report };
