import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { seedDemo } from '../../core/demo/seed-demo.js';
import { DOCS_SCREENSHOT_DIR, launchChromium, PHONE, SCREENSHOT_DIR, watchErrors } from '../support/browser.js';
import { ThemeService } from '../../core/theme/theme.service.js';

const OUT = SCREENSHOT_DIR;
const DOCS = DOCS_SCREENSHOT_DIR;

/**
 * The same demo shop in the default theme and in the tea-house child theme, at phone size (390×844 @2x):
 * home, a category and a product page of each, switched with ThemeService.setActive (no restart).
 * Phone-screen shots go to docs/screenshots/theme-<name>-<page>.png, full pages to tests/output/screenshots.
 */
describe('browser: theme screenshots (default and tea-house)', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base = '';
  let media = '';
  const problems: string[] = [];

  before(async () => {
    mkdirSync(OUT, { recursive: true });
    mkdirSync(DOCS, { recursive: true });
    media = mkdtempSync(join(tmpdir(), 'mall-theme-shots-'));
    t = await startTestApp({ env: { MEDIA_DIR: media } });
    await seedDemo(t.app);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    context = await browser.newContext(PHONE);
    page = await context.newPage();
    watchErrors(page, problems, problems, 15_000);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
    if (media) rmSync(media, { recursive: true, force: true });
  });

  const pages = [
    { name: 'home', path: '/' },
    { name: 'category', path: '/category/tableware' },
    { name: 'product', path: '/products/glass-teapot' },
  ];

  for (const theme of ['default', 'tea-house']) {
    it(`renders ${theme}: home, category and product`, async () => {
      await t.get(ThemeService).setActive(theme);
      for (const p of pages) {
        const res = await page.goto(`${base}${p.path}`, { waitUntil: 'networkidle' });
        assert.equal(res?.status(), 200, `${theme} ${p.path}`);
        assert.ok((await page.content()).includes(`/themes/${theme}/assets/css/app.css`), `${p.path} is served by ${theme}`);
        await page.evaluate(() => document.fonts.ready);
        await page.screenshot({ path: join(DOCS, `theme-${theme}-${p.name}.png`), animations: 'disabled' });
        await page.screenshot({ path: join(OUT, `theme-${theme}-${p.name}-full.png`), fullPage: true, animations: 'disabled' });
      }
      assert.deepEqual(problems, [], 'no script errors');
    });
  }
});
