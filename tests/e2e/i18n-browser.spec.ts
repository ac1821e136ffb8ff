/** Switching the language to Simplified Chinese in Settings changes the visible labels at once. */
import { test, expect } from '@playwright/test';
import path from 'node:path';

test('settings: switching to Chinese changes visible labels', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.setItem('qiview.locale', 'en'));
  await page.reload();
  await expect(page.getByTestId('browser-tab-local')).toHaveText('Local');
  await expect(page.getByTestId('browser-open-folder')).toHaveText('Open folder…');
  await page.getByTestId('browser-tab-settings').click();
  await page.getByTestId('settings-language').selectOption('zh-CN');
  await expect(page.getByTestId('browser-tab-local')).toHaveText('本地');
  await expect(page.getByTestId('browser-tab-settings')).toHaveText('设置');
  await page.getByTestId('browser-tab-local').click();
  await expect(page.getByTestId('browser-open-folder')).toHaveText('打开文件夹…');
  await page.screenshot({ path: path.join('test-results', 'screenshots', 'browser-zh-CN.png') });
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
  // the choice survives a reload
  await page.reload();
  await expect(page.getByTestId('browser-tab-local')).toHaveText('本地');
  await page.evaluate(() => localStorage.setItem('qiview.locale', 'en'));
});
