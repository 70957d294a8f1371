// Writes docs/images/compare.png, the README's picture of the comparison page: the six example
// jurisdictions in Debian's Chromium at 1280 × 1400, with Tavaro's gov-dedicated-budget result open.
// Run through `run.sh --screenshot` after a change to the page.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, rampart, launch, openPage } from "./page.mjs";

const page_file = join(ROOT, "target", "browser", "screenshot.html");
rampart(["compare", "examples/", "--format", "html", "--output", page_file]);
const profileDir = mkdtempSync(join(tmpdir(), "rampart-chromium-shot-"));
const context = await launch(profileDir);
try {
  const { page } = await openPage(context, page_file);
  await page.setViewportSize({ width: 1280, height: 1400 });
  const norms = await page.evaluate(() => JSON.parse(document.getElementById("data").textContent).norms.map((n) => n.id));
  const row = page.locator("#heatmap tbody tr", { has: page.getByRole("button", { name: "Tavaro", exact: true }) });
  await row.locator(`td.cell[data-n="${norms.indexOf("gov-dedicated-budget")}"]`).click();
  await page.locator("#details h2").filter({ hasText: "gov-dedicated-budget" }).waitFor();
  await page.locator("#heatmap-wrap").evaluate((wrap) => { wrap.scrollLeft = 0; });
  const out = join(ROOT, "docs", "images", "compare.png");
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await context.close();
  rmSync(profileDir, { recursive: true, force: true });
}
