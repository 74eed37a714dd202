/**
 * figure.png: the private_call.setup sweep plot of the HTML report, as Chromium draws it, so the
 * committed figure is the report's own uPlot chart rather than a second, hand-made drawing.
 */
import { chromium } from 'playwright-core';

async function main(report: string, png: string): Promise<void> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    headless: true,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1200 }, deviceScaleFactor: 1.5 });
    await page.goto(`file://${report}`);
    await page.waitForSelector('body[data-plots]');
    const plot = page.locator('.plot.sweep', { hasText: 'private_call.setup' });
    await plot.screenshot({ path: png });
  } finally {
    await browser.close();
  }
}

const [report, png] = process.argv.slice(2);
if (report === undefined || png === undefined) {
  process.stderr.write('usage: figure.ts <report.html> <figure.png>\n');
  process.exitCode = 2;
} else await main(report, png);
