import { describe, expect, it } from 'vitest';
import { featureDictionaries } from './strings';
import { translate } from './i18n';

describe('i18n dictionaries', () => {
  for (const [name, d] of Object.entries(featureDictionaries)) {
    it(`${name}: en and zh-CN have the same keys and no empty strings`, () => {
      const en = Object.keys(d.en).sort();
      const zh = Object.keys(d['zh-CN']).sort();
      expect(zh).toEqual(en);
      for (const v of [...Object.values(d.en), ...Object.values(d['zh-CN'])]) expect(v.trim()).not.toBe('');
    });
  }
  it('interpolates variables', () => {
    expect(translate('en', 'app.title')).toBe('Qiview');
    expect(translate('zh-CN', 'app.help')).toBe('帮助');
  });
});
