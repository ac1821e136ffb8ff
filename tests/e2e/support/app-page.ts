/**
 * Helpers for e2e tests of the whole app page: start it in English, pick or drop files on the study browser the way a
 * user does, read a value from the results panel.
 */
import type { Browser, Page } from '@playwright/test';

/** Loads the app in English (the locale is stored, then the page reloads); `freshLibrary` empties the study browser. */
export async function loadAppInEnglish(page: Page, { freshLibrary = false } = {}): Promise<void> {
  await page.goto('/');
  await page.evaluate((fresh) => {
    localStorage.setItem('qiview.locale', 'en');
    if (fresh) indexedDB.deleteDatabase('qiview-study-browser');
  }, freshLibrary);
  await page.reload();
}

/**
 * A new 1400×900 page with the app loaded in English ({@link loadAppInEnglish}); uncaught page errors are printed.
 * `acceptDownloads` for tests that save what the app exports.
 */
export async function openAppPage(
  browser: Browser,
  options: { acceptDownloads?: boolean; freshLibrary?: boolean } = {},
): Promise<Page> {
  const { freshLibrary, ...pageOptions } = options;
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, ...pageOptions });
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  await loadAppInEnglish(page, { freshLibrary });
  return page;
}

/** Picks files with the study browser's "Open files" button (the file chooser a user sees). */
export async function pickInStudyBrowser(page: Page, files: string | string[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.click('[data-testid=browser-open-files]');
  await (await chooser).setFiles(files);
}

/** Drops files on the study browser: a DataTransfer with these files, dispatched as dragover + drop. */
export async function dropOnStudyBrowser(
  page: Page,
  files: Array<{ name: string; bytes: Uint8Array }>,
): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, b64: Buffer.from(f.bytes).toString('base64') }));
  await page.evaluate((items) => {
    const dt = new DataTransfer();
    for (const it of items) {
      const bin = Uint8Array.from(atob(it.b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bin], it.name));
    }
    const target = document.querySelector('[data-testid=study-browser]')!;
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, payload);
}

/** A measurement value from the results panel's table (locale-formatted number, grouping removed). */
export async function measuredValue(page: Page, key: string): Promise<number> {
  const cell = page.locator(`[data-testid=measurement-table] tr[data-key="${key}"] td`).first();
  return Number((await cell.textContent())!.replace(/[,\s]/g, ''));
}
