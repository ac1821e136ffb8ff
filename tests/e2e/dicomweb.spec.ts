/**
 * PACS over DICOMweb (web mode, Debian Chromium): a real Orthanc with its DICOMweb plugin is started on loopback in
 * beforeAll and filled with a generated CT study over its REST API; the study is configured in Settings, searched from
 * the PACS tab (QIDO-RS), retrieved (WADO-RS) and opened; the viewport shows non-blank pixels.
 *
 * Orthanc does not send CORS headers, and the page is cross-origin isolated (COEP require-corp), so the test routes
 * Orthanc's responses through Playwright adding `Access-Control-Allow-Origin` and `Cross-Origin-Resource-Policy`
 * (what a reverse proxy in front of a real PACS must do for the web app; the Electron app is not subject to this).
 */
import { test, expect, type Page } from '@playwright/test';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ctSeriesFiles } from '../phantoms/ct-series';
import { canvasStats, waitForImage } from './support/viewer-page';

const STUDY_UID = '1.2.826.0.1.3680043.10.1.9001';
let orthanc: ChildProcess | undefined;
let dir: string;
let httpPort = 0;
let page: Page;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function hasOrthanc(): boolean {
  try {
    execFileSync('which', ['Orthanc'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  test.skip(!hasOrthanc(), 'Orthanc is not installed (apt-get install orthanc orthanc-dicomweb)');
  dir = mkdtempSync(path.join(os.tmpdir(), 'qiview-orthanc-'));
  httpPort = await freePort();
  const config = {
    Name: 'QiviewTest',
    StorageDirectory: path.join(dir, 'storage'),
    IndexDirectory: path.join(dir, 'index'),
    HttpPort: httpPort,
    DicomPort: await freePort(),
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    Plugins: ['/usr/share/orthanc/plugins/libOrthancDicomWeb.so'],
    DicomWeb: { Enable: true, Root: '/dicom-web/' },
  };
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  orthanc = spawn('Orthanc', [path.join(dir, 'config.json')], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${httpPort}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/system`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 100) throw new Error('Orthanc did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const files = await ctSeriesFiles({
    dims: [96, 96, 16],
    studyUid: STUDY_UID,
    seriesUid: `${STUDY_UID}.1`,
  });
  for (const f of files) {
    const r = await fetch(`${base}/instances`, {
      method: 'POST',
      body: new Blob([f.bytes.slice().buffer as ArrayBuffer]),
    });
    expect(r.ok).toBe(true);
  }
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  await page.route(`${base}/**`, async (route) => {
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': '*',
      'access-control-allow-methods': 'GET, OPTIONS',
      'cross-origin-resource-policy': 'cross-origin',
    };
    if (route.request().method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
    const resp = await route.fetch();
    await route.fulfill({ response: resp, headers: { ...resp.headers(), ...cors } });
  });
  await page.goto('/');
  await page.evaluate(() => {
    localStorage.setItem('qiview.locale', 'en');
    localStorage.removeItem('qiview.settings');
  });
  await page.reload();
});

test.afterAll(async () => {
  await page?.close();
  if (orthanc && orthanc.exitCode === null) {
    const exited = new Promise((r) => orthanc!.once('exit', r));
    orthanc.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (orthanc.exitCode === null) orthanc.kill('SIGKILL');
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('configure Orthanc, search by modality, open the series over WADO-RS', async () => {
  await page.getByTestId('browser-tab-pacs').click();
  await expect(page.getByTestId('pacs-no-servers')).toBeVisible();
  await page.getByTestId('browser-tab-settings').click();
  await page.getByTestId('settings-server-name').fill('Orthanc test');
  await page.getByTestId('settings-server-url').fill(`http://127.0.0.1:${httpPort}/dicom-web`);
  await page.getByTestId('settings-add-server').click();
  await expect(page.getByTestId('settings-servers')).toContainText('Orthanc test');
  await page.getByTestId('browser-tab-pacs').click();
  // a query that matches nothing, then the real one
  await page.getByTestId('pacs-modality').fill('MR');
  await page.getByTestId('pacs-search').click();
  await expect(page.getByTestId('pacs-count')).toHaveText('No studies found.');
  await page.getByTestId('pacs-modality').fill('CT');
  await page.getByTestId('pacs-search').click();
  await expect(page.getByTestId('pacs-count')).toHaveText('1 studies');
  await page.getByTestId('pacs-study').first().locator('button').first().click();
  await expect(page.getByTestId('pacs-series')).toHaveCount(1);
  await page.getByTestId('pacs-open').click();
  await waitForImage(page, 'cell-0');
  const s = await canvasStats(page, 'cell-0');
  await page.screenshot({ path: path.join('test-results', 'screenshots', 'dicomweb-open.png') });
  expect(s.nonBlank).toBeGreaterThan(0.2);
  // the retrieved series is now in the local list with all 16 images
  await page.getByTestId('browser-tab-local').click();
  await expect(
    page.locator(`[data-series-uid="${STUDY_UID}.1"] [data-testid=browser-image-count]`),
  ).toHaveText('16 images');
});
