// Renders a kaisim report in headless Chromium and checks it: every chart drew (an SVG with
// marks), the page logged no error, and it made no network request. Saves a PNG screenshot.
// Usage: node tests/report/render.mjs REPORT.html SCREENSHOT.png   (KAISIM_REPORT_DIR: reports/)
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [, , html, png] = process.argv;
const assets = process.env.KAISIM_REPORT_DIR;
const require = createRequire(path.join(assets, 'package.json'));
const { chromium } = require('playwright-core');

const fileUrl = pathToFileURL(path.resolve(html)).href;
const browser = await chromium.launch({
  executablePath: process.env.KAISIM_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
const errors = [];
const requests = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(String(e)));
await page.route('**/*', (route) => {
  const url = route.request().url();
  if (url === fileUrl) return route.continue();
  requests.push(url);
  return route.abort();
});
await page.goto(fileUrl);
await page.waitForFunction(() => window.kaisimReport && window.kaisimReport.done, null, { timeout: 60000 });
const charts = await page.$$eval('div.chart', (divs) => divs.map((d) => {
  const svg = d.querySelector('svg');
  if (!svg) return { id: d.id, drawn: false, marks: 0 };
  const box = svg.getBoundingClientRect();
  const marks = svg.querySelectorAll('path, rect, line, circle, text').length;
  return { id: d.id, drawn: box.width > 50 && box.height > 50 && marks > 10, marks };
}));
const embedErrors = await page.evaluate(() => window.kaisimReport.errors);
await page.screenshot({ path: png, fullPage: true });
await browser.close();
const failed = charts.filter((c) => !c.drawn);
console.log(JSON.stringify({ charts, errors: errors.concat(embedErrors), requests }, null, 1));
if (charts.length === 0 || failed.length || errors.length || embedErrors.length || requests.length) process.exit(1);
