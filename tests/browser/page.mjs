// What the browser test and the browser bench share: where things are, how to run the binary,
// how to start Debian's Chromium, open a page while watching it, and write the page of a saved
// report of 1,000 jurisdictions. Paths are from the repository.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BINARY = process.env.RAMPART_BIN || join(ROOT, "target", "debug", "rampart");
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** Runs the binary with `args` from the repository; throws when it fails. */
export function rampart(args) {
  execFileSync(BINARY, args, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
}

/** A persistent Chromium context with its own profile in `profileDir`. */
export function launch(profileDir) {
  return chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/** Opens `file` in `context`, waits for the heatmap's rows and records console errors, page
 * errors, dialogs and non-file requests. */
export async function openPage(context, file) {
  const page = await context.newPage();
  const seen = { errors: [], requests: [], dialogs: [] };
  page.on("console", (msg) => { if (msg.type() === "error") seen.errors.push(msg.text()); });
  page.on("pageerror", (error) => seen.errors.push(String(error)));
  page.on("dialog", async (dialog) => { seen.dialogs.push(dialog.message()); await dialog.dismiss(); });
  page.on("request", (request) => {
    if (!request.url().startsWith("file:")) seen.requests.push(request.url());
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector("#heatmap tbody tr");
  return { page, seen };
}

/** Writes the page of a saved report of 1,000 jurisdictions (the examples, repeated with
 * changed statuses): its path and size. */
export function writeLargePage() {
  const check = spawnSync(BINARY, ["check", "--format", "json", "examples/"], { cwd: ROOT, maxBuffer: 1 << 28 });
  const base = JSON.parse(check.stdout.toString("utf8"));
  const statuses = ["pass", "pass", "pass", "fail", "unknown", "not-applicable", "pass", "waived"];
  const documents = [];
  for (let i = 0; i < 1000; i++) {
    const doc = structuredClone(base.documents[i % base.documents.length]);
    doc.jurisdiction = "member-" + String(i).padStart(4, "0");
    doc.name = "Member state " + i;
    doc.path = doc.jurisdiction + ".json";
    doc.results.forEach((r, n) => { if ((i + n) % 7 === 0) r.status = statuses[(i * 3 + n) % statuses.length]; });
    documents.push(doc);
  }
  const dir = join(ROOT, "target", "browser");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "large-report.json"), JSON.stringify({ ...base, documents }));
  const page_file = join(dir, "large.html");
  rampart(["compare", join(dir, "large-report.json"), "--format", "html", "--output", page_file]);
  return { page_file, bytes: statSync(page_file).size };
}

/** On the large page: filters to critical norms, scrolls to the last row and opens its first
 * cell's evidence; the name of that jurisdiction and how many norm columns the filter left. */
export async function filterScrollAndOpen(page) {
  await page.selectOption("#f-severity", "critical");
  const critical = await page.locator("#heatmap thead th.norm").count();
  const lastName = await page.evaluate(() => JSON.parse(document.getElementById("data").textContent).jurisdictions.at(-1).name);
  await page.locator("#heatmap-wrap").evaluate((wrap) => { wrap.scrollTop = wrap.scrollHeight; });
  const lastRow = page.locator("#heatmap tbody tr", { has: page.getByRole("button", { name: lastName, exact: true }) });
  await lastRow.locator("td.cell").first().click();
  await page.locator("#details h2").filter({ hasText: lastName }).waitFor();
  return { lastName, critical };
}
