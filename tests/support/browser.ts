import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { fromRoot } from '../../core/common/paths.js';

/** Where browser tests save every screenshot (gitignored), and the set kept in the docs. */
export const SCREENSHOT_DIR = fromRoot('tests/output/screenshots');
export const DOCS_SCREENSHOT_DIR = fromRoot('docs/screenshots');

/** A phone in WeChat's usual size, in Chinese. */
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };

/** Debian's Chromium, headless, with the flags this machine needs (no sandbox as root, no background network). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Records a page's script errors and console errors (favicon misses aside) into the given lists. */
export function watchErrors(page: Page, scriptErrors: string[], consoleErrors: string[] = scriptErrors, timeoutMs = 10_000): void {
  page.setDefaultTimeout(timeoutMs);
  page.on('pageerror', (err) => scriptErrors.push(`${page.url()}: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/favicon/.test(msg.location().url ?? '')) consoleErrors.push(`${page.url()}: ${msg.text()}`);
  });
}

/** A small product picture as a data: URL (product images are plain strings of at most 255 characters). */
export function art(bg: string, fg: string, path: string): string {
  const svg = `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16' style='background:${bg}'><path d='${path}' fill='${fg}'/></svg>`;
  const url = `data:image/svg+xml,${svg.replace(/#/g, '%23')}`;
  assert.ok(url.length <= 255, `test image too long (${url.length})`);
  return url;
}

export const SHAPES = {
  tee: 'M5 4l2-1a1 1 0 0 0 2 0l2 1 2 2-1.5 1.2L11 7v6H5V7l-.5.2L3 6z',
  mug: 'M4 5h7v7a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1zm7 1.5h2v4h-2v-1h1v-2h-1z',
  tin: 'M5 5.2h6V13H5zM5.4 3.4h5.2v1.3H5.4z',
  bag: 'M4 6h8l-.7 7H4.7zM6 6V5a2 2 0 0 1 4 0v1h-.8V5a1.2 1.2 0 0 0-2.4 0v1z',
  bottle: 'M7 2.5h2v2l1.5 1.5V13h-5V6L7 4.5z',
  pillow: 'M3.5 5.5q4.5-2 9 0v5q-4.5 2-9 0z',
};
