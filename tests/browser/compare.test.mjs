// The HTML page of `rampart compare` in a real browser: Debian's Chromium driven by
// playwright-core. Run through run.sh (which builds the binary); paths are from the repository.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { ROOT, BINARY, CHROMIUM, FLAGS, rampart, launch, openPage, writeLargePage, filterScrollAndOpen } from "./page.mjs";

const HOSTILE_NAME = "<img src=x onerror=alert(1)>";

let context;
let profileDir;

before(async () => {
  profileDir = mkdtempSync(join(tmpdir(), "rampart-chromium-"));
  context = await launch(profileDir);
});

after(async () => {
  await context?.close();
  rmSync(profileDir, { recursive: true, force: true });
});

/** Opens `file` in the test's browser (see `openPage`). */
const open = (file) => openPage(context, file);

/** The scores of `rampart compare PATH --format markdown` as the page shows them (`96.2%`, `–`),
 * by jurisdiction name: overall, per pillar id and per stage index. */
function comparisonScores(path) {
  const markdown = execFileSync(BINARY, ["compare", path, "--format", "markdown"], { cwd: ROOT, encoding: "utf8" });
  // The rows of the table after `heading`, as arrays of cells.
  const table = (heading) => {
    const lines = markdown.split("## " + heading + "\n\n")[1].split("\n\n")[0].split("\n");
    return lines.filter((line, i) => i !== 1).map((line) => line.split(" | ").map((cell) => cell.replace(/^\| ?| ?\|$/g, "")));
  };
  const shown = (cell) => (cell === "\u2013" ? cell : cell + "%");
  const column = (rows, index, nameAt = 0) => Object.fromEntries(rows.slice(1).map((r) => [r[nameAt], shown(r[index])]));
  const pillars = table("Compliance by pillar (%)");
  const stages = table("Compliance by electoral-cycle stage (%)");
  const ranking = table("Ranking");
  return {
    shown,
    ranking,
    pillarTable: pillars,
    pillars: pillars[0].slice(1),
    overall: column(ranking, 3, 1),
    pillar: (id) => column(pillars, pillars[0].indexOf(id)),
    stage: (index) => column(stages, index + 1),
  };
}

test("the region page shows every jurisdiction, filters, evidence, and stays offline", async () => {
  rampart(["compare", "examples/", "--format", "html", "--output", "target/region.html"]);
  const { page, seen } = await open(join(ROOT, "target", "region.html"));

  assert.equal(await page.locator("#heatmap tbody tr[data-j]").count(), 6, "one row per jurisdiction");
  assert.equal(await page.locator("#heatmap tbody tr.spacer").count(), 0);
  assert.equal(await page.locator("#shown").textContent(), "6 of 6 jurisdictions shown");

  const allColumns = await page.locator("#heatmap thead th.norm").count();
  assert.equal(allColumns, 85);
  await page.selectOption("#f-pillar", { label: "governance \u2013 Governance and critical-infrastructure status" });
  const governance = await page.locator("#heatmap thead th.norm").allTextContents();
  assert.ok(governance.length > 0 && governance.length < allColumns, `${governance.length} columns`);
  assert.ok(governance.every((id) => id.startsWith("gov-")), governance.join(" "));
  await page.selectOption("#f-pillar", "");
  assert.equal(await page.locator("#heatmap thead th.norm").count(), allColumns);

  // The heatmap's compliance column is the score of what the filters select, or says it is overall.
  const scores = comparisonScores("examples/");
  const scoreColumn = async () => page.locator("#heatmap tbody tr[data-j]").evaluateAll((trs) =>
    Object.fromEntries(trs.map((tr) => [tr.querySelector("th.jur button").textContent, tr.cells[2].textContent])));
  const scoreHead = () => page.locator("#heatmap thead th").nth(2).textContent();
  assert.equal(await scoreHead(), "Overall compliance");
  assert.deepEqual(await scoreColumn(), scores.overall);
  assert.equal(await page.locator("#score-scope").textContent(), "Compliance: the overall score, over all norms.");
  await page.selectOption("#f-pillar", { label: "governance \u2013 Governance and critical-infrastructure status" });
  assert.equal(await scoreHead(), "governance compliance");
  assert.deepEqual(await scoreColumn(), scores.pillar("governance"));
  assert.notDeepEqual(scores.pillar("governance"), scores.overall);
  assert.match(await page.locator("#score-scope").textContent(), /the governance pillar's score/);
  assert.deepEqual(await page.locator("#scores thead th[data-p]:visible").allTextContents(), ["governance"],
    "the table of scores shows the selected pillar's column");
  await page.selectOption("#f-severity", "critical");
  assert.equal(await scoreHead(), "Overall compliance", "no score is computed for a pillar and a severity");
  assert.deepEqual(await scoreColumn(), scores.overall);
  assert.match(await page.locator("#score-scope").textContent(), /overall score, over all norms; these filters choose the columns shown, not the score/);
  await page.selectOption("#f-pillar", "");
  await page.selectOption("#f-severity", "");
  await page.selectOption("#f-stage", { index: 1 });
  const stage = await page.locator("#f-stage option").nth(1).getAttribute("value");
  assert.match(await scoreHead(), / compliance$/);
  assert.deepEqual(await scoreColumn(), scores.stage(Number(stage)));
  await page.selectOption("#f-stage", "");
  assert.equal(await page.locator("#scores thead th[data-p]:visible").count(), scores.pillars.length);

  // The table of scores follows the search and the sort, as the heatmap does.
  await page.fill("#f-search", "castellan");
  assert.deepEqual(await page.locator("#scores tbody tr:visible th").allTextContents(), ["Castellan"]);
  await page.fill("#f-search", "");
  await page.selectOption("#f-sort", "name");
  const byName = await page.locator("#scores tbody tr:visible th").allTextContents();
  assert.deepEqual(byName, [...byName].sort((a, b) => a.localeCompare(b)));
  assert.deepEqual(byName, await page.locator("#heatmap tbody th.jur button").allTextContents());
  await page.selectOption("#f-sort", "rank");

  const castellan = page.locator("#heatmap tbody tr", { has: page.getByRole("button", { name: "Castellan", exact: true }) });
  const column = (await page.locator("#heatmap thead th.norm").allTextContents()).indexOf("sec-patching");
  assert.ok(column >= 0);
  const cell = castellan.locator("td.cell").nth(column);
  await cell.hover();
  assert.equal(await cell.getAttribute("title"), "sec-patching: fail (Castellan)");
  assert.equal(await cell.getAttribute("aria-label"), "fail");
  assert.equal(await cell.textContent(), "\u2717");
  await cell.click();
  const details = page.locator("#details");
  await assert.doesNotReject(details.getByText("critical system ca-rts allows 30 days to apply a critical update", { exact: false }).first().waitFor());
  const detailText = await details.textContent();
  assert.match(detailText, /Castellan — sec-patching/);
  assert.match(detailText, /fail/);
  assert.match(detailText, /Citations/);
  const citation = await details.locator("h3:has-text('Citations') + ul li").first().textContent();
  assert.notEqual(citation, "none");
  assert.match(citation, /\[[a-z0-9-]+\]$/, "the source id ends the citation");

  // Evidence beyond the first three findings of a result is counted, not embedded.
  const ossmark = page.locator("#heatmap tbody tr", { has: page.getByRole("button", { name: "Republic of Ossmark", exact: true }) });
  const privilege = (await page.locator("#heatmap thead th.norm").allTextContents()).indexOf("sec-least-privilege");
  await ossmark.locator("td.cell").nth(privilege).click();
  assert.equal(await details.locator("ul.evidence li.finding").count(), 3, "three findings shown");
  assert.equal(await details.locator("ul.evidence > li.more").textContent(), "\u2026 6 more \u2014 run `rampart check` for all");

  assert.ok(await page.locator("#charts svg").count() >= 6, "a pillar chart per jurisdiction");
  assert.match(await page.locator("tr", { hasText: "Republic of Ossmark" }).first().textContent(), /below baseline/);

  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator(".controls").isVisible(), false, "print hides the controls");
  assert.equal(await page.locator("#heatmap tbody tr[data-j]").count(), 6);
  await page.emulateMedia({ media: "screen" });

  mkdirSync(join(ROOT, "target", "browser"), { recursive: true });
  await page.screenshot({ path: join(ROOT, "target", "browser", "region.png"), fullPage: true });
  assert.deepEqual(seen.errors, [], "no console errors");
  assert.deepEqual(seen.requests, [], "no network requests");
  await page.close();
});

test("without JavaScript the page shows the tables of scores, groups and changes and says what needs the script", async () => {
  mkdirSync(join(ROOT, "target", "browser"), { recursive: true });
  const page_file = join(ROOT, "target", "browser", "no-script.html");
  rampart(["compare", "examples/", "--format", "html", "--output", page_file]);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    const requests = [];
    page.on("request", (request) => { if (!request.url().startsWith("file:")) requests.push(request.url()); });
    await page.goto(pathToFileURL(page_file).href);
    assert.equal(await page.locator("#legend li").count(), 0, "the page's script did not run");
    assert.match(await page.locator("#summary").textContent(), /^6 jurisdictions, 85 norms\. Weights: critical 4, high 3, medium 2, low 1\. \d below baseline/);
    assert.ok(await page.locator(".noscript").isVisible(), "the page says what needs JavaScript");
    for (const hidden of [".controls", "#heatmap", "#charts-section", ".skip"]) {
      assert.equal(await page.locator(hidden).isVisible(), false, `${hidden} is hidden`);
    }

    const scores = comparisonScores("examples/");
    const head = await page.locator("#scores thead th").allTextContents();
    assert.deepEqual(head, ["Rank", "Jurisdiction", "Overall compliance", "Coverage", ...scores.pillars, "Results", "Flags", "Critical fails"]);
    const rows = await page.locator("#scores tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.equal(rows.length, 6, "one row per jurisdiction");
    rows.forEach((row, i) => {
      const [rank, name, , compliance, coverage, , fails, critical, flags] = scores.ranking[i + 1];
      assert.deepEqual(row.slice(0, 4), [rank, name, scores.shown(compliance), scores.shown(coverage)], name);
      const pillarRow = scores.pillarTable.find((r) => r[0] === name).slice(1);
      assert.deepEqual(row.slice(4, 4 + pillarRow.length), pillarRow.map(scores.shown), name);
      const [results, flagText, criticalText] = row.slice(-3);
      assert.ok(Number(fails) === 0 || results.includes(fails + " fail,") || results.endsWith(fails + " fail"), `${name}: ${results}`);
      assert.equal(flagText.includes("below baseline"), flags.includes("BELOW BASELINE"), name);
      assert.equal(criticalText === "" ? 0 : criticalText.split(", ").length, Number(critical), name);
    });
    await page.goto(pathToFileURL(writeTrendPage()).href);
    assert.deepEqual(await tableRows(page, "#groups-table"), GROUPS_TABLE, "groups without the script");
    assert.deepEqual(await tableRows(page, "#trend-table"), TREND_TABLE, "changes without the script");
    assert.match(await page.locator("#trend").textContent(), /Appeared: Delta.*Disappeared: omega/s);
    assert.deepEqual(requests, [], "no network requests");
  } finally {
    await browser.close();
  }
});

test("a hostile jurisdiction name is shown as text and runs no script", async () => {
  const dir = join(ROOT, "target", "browser", "hostile");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const doc = JSON.parse(readFileSync(join(ROOT, "examples", "castellan.json"), "utf8"));
  doc.jurisdiction.name = HOSTILE_NAME;
  doc.jurisdiction.region = "</script><script>alert(2)</script>";
  writeFileSync(join(dir, "hostile.json"), JSON.stringify(doc, null, 2));
  const page_file = join(ROOT, "target", "browser", "hostile.html");
  rampart(["compare", dir, "--group-by", "region", "--format", "html", "--output", page_file]);

  const html = readFileSync(page_file, "utf8");
  assert.ok(!html.includes(HOSTILE_NAME), "the name is not in the markup as HTML");
  assert.ok(!html.includes("</script><script>alert(2)"), "no string closes the data element");

  const { page, seen } = await open(page_file);
  assert.equal(await page.locator("#heatmap tbody th.jur button").first().textContent(), HOSTILE_NAME);
  assert.equal(await page.locator("img").count(), 0, "no image element was created");
  assert.equal(await page.locator("script").count(), 2, "only the page's own scripts");
  await page.locator("#heatmap tbody td.cell").first().click();
  assert.match(await page.locator("#details").textContent(), /<img src=x onerror=alert\(1\)>/);
  assert.deepEqual(seen.dialogs, [], "no script ran");
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(seen.requests, []);
  await page.close();
});

// How fast the page gets there is measured by the browser bench (`run.sh --bench`), not here.
test("a page of 1,000 jurisdictions and 85 norms renders only the rows in view, filters and opens evidence", async () => {
  const { page_file, bytes } = writeLargePage();
  assert.ok(bytes < 5_000_000, `the page is ${bytes} bytes, over 5 MB`);

  const { page, seen } = await open(page_file);
  assert.equal(await page.locator("#shown").textContent(), "1000 of 1000 jurisdictions shown");
  const drawn = await page.locator("#heatmap tbody tr[data-j]").count();
  assert.ok(drawn > 10 && drawn < 1000, `${drawn} rows in the DOM`);

  const { critical } = await filterScrollAndOpen(page);
  assert.ok(critical > 0 && critical < 85, `${critical} critical norms shown`);
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(seen.requests, []);
  await page.close();
});

/** The cells of every row of the table `selector`, head row first. */
const tableRows = (page, selector) =>
  page.locator(`${selector} tr`).evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));

/** The groups table of the worked comparison grouped by memberships (`rampart compare … --format
 * markdown` gives the same figures). */
const GROUPS_TABLE = [
  ["Group", "Members", "Mean", "Min", "Median", "Max", "Most failed"],
  ["(none)", "Delta", "60.0%", "60.0%", "60.0%", "60.0%", "n3 (1)"],
  ["x", "Beta, Alpha", "60.4%", "57.1%", "60.4%", "63.6%", "n1 (1), n2 (1)"],
  ["y", "Beta, Gamma", "61.8%", "60.0%", "61.8%", "63.6%", "n1 (1), n2 (1), n4 (1)"],
];

/** The changes table of the worked comparison against its baseline. */
const TREND_TABLE = [
  ["Jurisdiction", "Before", "After", "Change (points)", "Newly failing", "Newly passing"],
  ["Beta", "81.8%", "63.6%", "-18.2, now below baseline", "n1", "n5"],
  ["Gamma", "60.0%", "60.0%", "0.0", "\u2013", "\u2013"],
  ["Alpha", "77.8%", "57.1%", "-20.7", "n2", "\u2013"],
];

/** The page of the worked comparison with a baseline and groups by memberships. */
function writeTrendPage() {
  const page_file = join(ROOT, "target", "browser", "trend.html");
  rampart(["compare", "tests/fixtures/compare/worked.json", "--baseline", "tests/fixtures/compare/baseline.json",
    "--group-by", "memberships", "--format", "html", "--output", page_file]);
  return page_file;
}

test("groups filter the rows and the baseline shows the trend", async () => {
  const { page, seen } = await open(writeTrendPage());
  assert.equal(await page.locator("#heatmap tbody tr[data-j]").count(), 4);
  await page.selectOption("#f-group", "x");
  const names = await page.locator("#heatmap tbody th.jur button").allTextContents();
  assert.deepEqual(names, ["Beta", "Alpha"]);
  await page.selectOption("#f-stage", { label: "s2 \u2013 Stage 2" });
  assert.deepEqual(await page.locator("#heatmap thead th.norm").allTextContents(), ["n2", "n3", "n4"]);

  assert.deepEqual(await tableRows(page, "#trend-table"), TREND_TABLE);
  assert.match(await page.locator("#trend").textContent(), /Appeared: Delta.*Disappeared: omega/s);
  assert.deepEqual(await tableRows(page, "#groups-table"), GROUPS_TABLE);
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(seen.requests, []);
  await page.close();
});

/** What has the focus: its tag, the grid row (aria-rowindex) and norm index it is in. */
function focused(page) {
  return page.evaluate(() => {
    const active = document.activeElement;
    const row = active.closest("tr[aria-rowindex]");
    return {
      tag: active.tagName,
      row: row ? Number(row.getAttribute("aria-rowindex")) : null,
      norm: active.dataset.n === undefined ? null : Number(active.dataset.n),
      label: active.getAttribute("aria-label"),
    };
  });
}

test("the heatmap is one tab stop that arrow keys move through, and keeps the focus while it scrolls", async () => {
  const { page_file } = writeLargePage();
  const { page, seen } = await open(page_file);
  const norms = await page.locator("#heatmap thead th.norm").count();

  // From the last filter, Tab enters the grid at its first name, and Tab again leaves it.
  await page.focus("#f-sort");
  await page.keyboard.press("Tab");
  assert.deepEqual(await focused(page), { tag: "BUTTON", row: 3, norm: null, label: null });
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "details", "one tab stop in the grid");
  await page.keyboard.press("Shift+Tab");
  assert.equal((await focused(page)).row, 3, "back to the cell that had the focus");

  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowDown");
  const cell = await focused(page);
  assert.equal(cell.tag, "TD");
  assert.equal(cell.row, 4);
  assert.ok(["pass", "fail", "waived", "unknown", "not applicable", "error", "not reported"].includes(cell.label), cell.label);
  await page.keyboard.press("End");
  const ids = await page.locator("#heatmap thead th.norm").allTextContents();
  const lastNorm = await page.evaluate((id) => JSON.parse(document.getElementById("data").textContent).norms.findIndex((n) => n.id === id), ids[norms - 1]);
  assert.equal((await focused(page)).norm, lastNorm, "End goes to the row's last norm");

  // Far down the virtual rows, the focus stays on a cell (it used to fall back to the page).
  for (let i = 0; i < 30; i++) await page.keyboard.press("PageDown");
  assert.deepEqual([(await focused(page)).tag, (await focused(page)).row], ["TD", 4 + 300]);
  await page.keyboard.press("Control+End");
  assert.equal((await focused(page)).row, 1000 + 2, "Control+End goes to the last row");
  await page.locator("#heatmap-wrap").evaluate((wrap) => { wrap.scrollTop = 0; });
  await page.waitForFunction(() => document.querySelector('#heatmap tbody tr[aria-rowindex="3"]'));
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  assert.notEqual((await focused(page)).tag, "BODY", "scrolling away keeps the focus in the grid");

  // A focused cell far to the right is not hidden under the sticky name column.
  await page.keyboard.press("Control+Home");
  for (let i = 0; i < 60; i++) await page.keyboard.press("ArrowRight");
  for (let i = 0; i < 55; i++) await page.keyboard.press("ArrowLeft");
  const visible = await page.evaluate(() => {
    const box = document.activeElement.getBoundingClientRect();
    return document.elementFromPoint(box.left + 2, box.top + box.height / 2) === document.activeElement;
  });
  assert.ok(visible, "the focused cell is not covered");

  // Enter shows the details and says so to a screen reader.
  await page.keyboard.press("Enter");
  assert.match(await page.locator("#announce").textContent(), /^Member state \d+, [a-z-]+: [a-z ]+\. The details/);
  assert.equal(await page.locator("#details h2").count(), 1);
  assert.deepEqual(seen.errors, []);
  await page.close();
});

test("the page passes axe-core's WCAG 2.2 AA rules, wide and at 320 pixels", async () => {
  rampart(["compare", "tests/fixtures/compare/worked.json", "--baseline", "tests/fixtures/compare/baseline.json",
    "--group-by", "memberships", "--format", "html", "--output", "target/browser/axe.html"]);
  const axe = readFileSync(join(ROOT, "tests", "browser", "node_modules", "axe-core", "axe.min.js"), "utf8");
  const { page, seen } = await open(join(ROOT, "target", "browser", "axe.html"));
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 800 });
    await page.locator("#heatmap tbody td.cell").first().click();
    await page.evaluate(axe);
    const violations = await page.evaluate(async () => {
      const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
      const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
      return result.violations.map((v) => v.id + ": " + v.nodes.map((n) => n.target.join(" ")).join(", "));
    });
    assert.deepEqual(violations, [], `axe at ${width} px`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px at ${width} px`);
  }
  const legend = await page.locator("#legend").textContent();
  assert.match(legend, /not reported/);
  const chart = await page.locator("#charts svg title").first().textContent();
  assert.match(chart, /^Compliance by pillar, .+: .+ \d+\.\d%/);
  assert.deepEqual(seen.errors, []);
  await page.close();
});
