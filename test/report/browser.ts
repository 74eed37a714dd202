import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium; CI installs it (.ci/run). Tests skip, saying so, only when it is absent. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const NO_CHROMIUM = `${CHROMIUM} is missing (apt-get install chromium): browser checks skipped`;

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Playwright's launch() gives every browser a fresh temporary profile, so no test sees another's state. */
export function openBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/**
 * Opens a file and collects what went wrong on the page: console errors, uncaught exceptions and
 * any request that left the machine (a self-contained page makes none).
 */
export async function openPage(browser: Browser, file: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.route(/^(?!file:|data:|about:)/, async (route) => {
    problems.push(`network request: ${route.request().url()}`);
    await route.abort();
  });
  await page.goto(`file://${file}`);
  return { page, problems };
}

/**
 * A whole-page screenshot. Chromium's own full-page capture hangs on this headless build, so the
 * viewport is grown to the document instead.
 */
export async function screenshot(page: Page, path: string): Promise<Buffer> {
  const size = await page.evaluate(() => ({
    w: document.documentElement.scrollWidth,
    h: document.documentElement.scrollHeight,
  }));
  await page.setViewportSize({ width: Math.min(4000, size.w), height: Math.min(8000, size.h) });
  return page.screenshot({ path, timeout: 20000 });
}
