// Drives a code-server (VS Code in the browser) that has the Rampart extension installed, in
// headless Chromium, and writes two screenshots. Run by screenshot.sh, which installs everything,
// starts code-server and copies this file next to its node_modules (so that `playwright-core`
// resolves); see README.md beside this file.
//
//   node screenshot.mjs <code-server URL> <workspace folder> <output directory>
//
// vscode-diagnostics.png: the deliberate error of main.rampart, squiggled, with the hover on it
//   (the server's message and its did-you-mean) and the Problems panel.
// vscode-hover.png: the hover of a norm id (the server's Markdown for the norm), with the
//   squiggle and the Problems panel still in view.
//
// Each step waits for what the language server produces (a squiggle, a Problems row, a hover
// holding the server's text) and fails with a message if it does not come.

import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [baseUrl, workspace, outDir] = process.argv.slice(2);
if (!baseUrl || !workspace || !outDir) {
  console.error('usage: node screenshot.mjs <code-server URL> <workspace folder> <output directory>');
  process.exit(2);
}
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const userDataDir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'rampart-shot-chromium-'));

// What the screenshots must show: see `main.rampart` written by screenshot.sh.
const ERROR_TEXT = 'criticalty'; // the misspelt field
const ERROR_MESSAGE = 'has no field `criticalty`'; // the checker's message for it
const NORM_ID = 'gov-system-ownership'; // hovered where a test names it
const NORM_HOVER_TEXT = 'Every critical system has a reachable owner'; // the norm's title

function step(message) {
  console.log(`screenshot: ${message}`);
}

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: chromiumPath,
  headless: true,
  viewport: { width: 1400, height: 900 },
  deviceScaleFactor: 1,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(60_000);

  step('opening the workbench');
  await page.goto(`${baseUrl}/?folder=${encodeURIComponent(workspace)}`);
  await page.waitForSelector('.monaco-workbench .part.editor');
  // Let the workbench settle (extension host start, restored layout).
  await page.waitForTimeout(3000);

  step('opening main.rampart with Quick Open');
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type('main.rampart');
  await page.waitForSelector('.quick-input-list .monaco-list-row', { state: 'visible' });
  await page.keyboard.press('Enter');
  await page.waitForSelector('.monaco-editor .view-lines');

  step('waiting for the language server to publish the diagnostic (squiggle)');
  await page.waitForSelector('.monaco-editor .squiggly-error', { state: 'attached', timeout: 90_000 });

  step('opening the Problems panel');
  await page.keyboard.press('Control+Shift+M');
  const problemRow = page.locator('.markers-panel .monaco-list-row', { hasText: ERROR_MESSAGE });
  await problemRow.first().waitFor({ state: 'visible' });

  // Make the panel low (it holds one problem), so the editor shows the whole policy around the
  // error: drag the sash between the editor and the panel down.
  step('lowering the panel');
  const panel = await page.locator('.part.panel').boundingBox();
  if (panel && panel.height > 180) {
    const x = panel.x + panel.width / 2;
    await page.mouse.move(x, panel.y - 1);
    await page.mouse.down();
    await page.mouse.move(x, panel.y + panel.height - 150, { steps: 10 });
    await page.mouse.up();
    await page.waitForTimeout(500);
  }

  // Go to line 42: VS Code centres it, and with editor.scrollBeyondLastLine off (settings.json
  // written by screenshot.sh) the view stops at the last line, so the type System, the def with
  // the error, the norm and its test are all in view.
  step('revealing the error line');
  const firstLine = page.locator('.monaco-editor .view-line').first();
  await firstLine.click();
  await page.keyboard.press('Control+G');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.fill('.quick-input-widget input', ':42');
  await page.waitForTimeout(300);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(500);
  // Park the cursor on the empty line between the norm and the test (line 48), so no word is
  // highlighted.
  for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Home');

  async function hover(locator, expectText, file) {
    const box = await locator.boundingBox();
    if (!box) throw new Error(`nothing to hover for ${file}`);
    // Move away first so a hover already shown closes, then onto the target.
    await page.mouse.move(5, 890);
    await page.waitForTimeout(400);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    const widget = page.locator('.monaco-hover:not(.hidden)', { hasText: expectText });
    await widget.first().waitFor({ state: 'visible', timeout: 20_000 });
    // The hover fades in; let its content lay out.
    await page.waitForTimeout(800);
    const target = path.join(outDir, file);
    await page.screenshot({ path: target });
    step(`wrote ${target}`);
  }

  step('hovering the squiggled field');
  const errorToken = page
    .locator('.monaco-editor .view-line span span', { hasText: ERROR_TEXT })
    .first();
  await hover(errorToken, ERROR_MESSAGE, 'vscode-diagnostics.png');

  step('hovering the norm id in a test');
  // The last occurrence of the id: `expect pass gov-system-ownership` in the first test.
  const normTokens = page.locator('.monaco-editor .view-line span span', { hasText: NORM_ID });
  const count = await normTokens.count();
  if (count === 0) throw new Error(`${NORM_ID} is not in view`);
  await hover(normTokens.nth(count - 1), NORM_HOVER_TEXT, 'vscode-hover.png');
} finally {
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
