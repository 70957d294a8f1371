// Browser bench of the `rampart compare` HTML page: in Debian's Chromium, how long the page of a
// saved report of 1,000 jurisdictions × 85 norms takes to become interactive (its first rows
// drawn), and then to filter to critical norms, scroll to the last row and open a cell's
// evidence. Prints each load and the median against the goal (interactive within 2 s); run
// through `run.sh --bench`, on an idle machine. Figures go to docs/PERFORMANCE.md.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, openPage, writeLargePage, filterScrollAndOpen } from "./page.mjs";

const LOADS = Number(process.env.RAMPART_BENCH_LOADS || 5);
const GOAL_MS = 2000;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const { page_file, bytes } = writeLargePage();
const profileDir = mkdtempSync(join(tmpdir(), "rampart-chromium-bench-"));
const context = await launch(profileDir);
const interactive = [];
const opened = [];
try {
  for (let load = 1; load <= LOADS; load++) {
    const started = performance.now();
    const { page, seen } = await openPage(context, page_file);
    const loaded = performance.now() - started;
    const filterStarted = performance.now();
    await filterScrollAndOpen(page);
    const open = performance.now() - filterStarted;
    if (seen.errors.length > 0) throw new Error(`the page reported errors: ${seen.errors.join("; ")}`);
    await page.close();
    interactive.push(loaded);
    opened.push(open);
    console.log(`load ${load}: interactive in ${loaded.toFixed(0)} ms; filtered, scrolled to the end and opened a cell in ${open.toFixed(0)} ms`);
  }
} finally {
  await context.close();
  rmSync(profileDir, { recursive: true, force: true });
}
const median_ms = median(interactive);
console.log(`page of 1,000 x 85: ${(bytes / 1e6).toFixed(2)} MB; median of ${LOADS} loads: interactive in ${median_ms.toFixed(0)} ms ` +
  `(goal < ${GOAL_MS} ms: ${median_ms < GOAL_MS ? "met" : "NOT met"}), filter + scroll + open in ${median(opened).toFixed(0)} ms`);
