/**
 * report.png: the private_call.setup figures of the HTML report as Chromium draws them (the p95
 * against KPI 2's limit, the mean with its band, the paired difference), so the committed picture
 * is the report itself rather than a second drawing.
 */
import { chromium } from 'playwright-core';

async function main(report: string, png: string): Promise<void> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    headless: true,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1700, height: 1200 }, deviceScaleFactor: 1.25 });
    await page.goto(`file://${report}`);
    const figures = page.locator('.figures', { has: page.locator('svg[data-metric="private_call.setup"]') });
    await figures.first().screenshot({ path: png });
  } finally {
    await browser.close();
  }
}

const [report, png] = process.argv.slice(2);
if (report === undefined || png === undefined) {
  process.stderr.write('usage: figure.ts <report.html> <report.png>\n');
  process.exitCode = 2;
} else await main(report, png);
