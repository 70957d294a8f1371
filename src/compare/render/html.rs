//! HTML: one self-contained page (inline CSS, script and SVG; nothing fetched) with a heatmap
//! of jurisdictions × norms grouped by pillar, filters, evidence and citations on click,
//! pillar-score bar charts and, with a baseline, the trend view.
//!
//! The page is meant for keyboards and screen readers too (WCAG 2.2 AA, checked with axe-core
//! in `tests/browser`): the heatmap is an ARIA grid with row and column headers and one tab
//! stop that the arrow keys move, cells are named by their status in words, charts carry their
//! figures in their names, and the layout reflows down to 320 pixels.
//!
//! The heading's summary, the table of scores and the tables of groups and of changes since
//! the baseline are markup ([`html_static`]), so the page reads without JavaScript; the script
//! draws the rest (heatmap, details, charts) and filters and sorts the scores table's rows as
//! it does the heatmap's. The tables come after the script, so that a page of 1,000
//! jurisdictions shows its heatmap as soon as before.
//!
//! The data is embedded once as JSON in a `<script type="application/json">` element, with
//! `<`, `>`, `&` and the JavaScript line separators written as `\u` escapes so that no string
//! can close the element; the page's script builds the DOM with `textContent` only, so names
//! from documents are never parsed as HTML.
//!
//! The page stays small at thousands of jurisdictions: norm metadata is written once, statuses
//! are one letter per norm, and evidence is kept only for results that do not pass, at most
//! [`MAX_FINDINGS`] findings per result, each text cut at [`MAX_TEXT`] characters and stored
//! once in a shared `texts` table that evidence refers to by index.

use std::collections::HashMap;

use serde::Serialize;

use super::html_static;
use crate::check::Status;
use crate::compare::{Comparison, Jurisdiction, NormInfo};
use crate::report::{Category, EvidenceRecord, FindingKind, Report, WaiverRecord};

/// How many findings of one result the page shows; the rest are counted.
pub const MAX_FINDINGS: usize = 3;

/// How many characters of one message or finding the page shows.
pub const MAX_TEXT: usize = 300;

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// Renders the page.
pub fn render(comparison: &Comparison, report: &Report) -> String {
    let data = PageData::new(comparison, report);
    let json = serde_json::to_string(&data).expect("page data has string keys and finite numbers");
    let mut page = String::with_capacity(json.len() + STYLE.len() + SCRIPT.len() + 4096);
    page.push_str(HEAD);
    page.push_str("<style>\n");
    page.push_str(STYLE);
    page.push_str("</style>\n");
    page.push_str(NOSCRIPT_STYLE);
    page.push_str("</head>\n<body>\n");
    page.push_str(BODY_START);
    page.push_str(&html_static::summary(comparison));
    page.push_str(BODY_MIDDLE);
    page.push_str("<script type=\"application/json\" id=\"data\">");
    page.push_str(&script_safe(&json));
    page.push_str("</script>\n<script>\n");
    page.push_str(SCRIPT);
    // After the script, so that the heatmap is drawn before the table is parsed: the table is
    // then below the charts and is laid out only when it is scrolled to (page.css).
    page.push_str("</script>\n");
    page.push_str(&html_static::groups(comparison));
    page.push_str(&html_static::trend(comparison));
    page.push_str(&html_static::scores(comparison));
    page.push_str("</main>\n</body>\n</html>\n");
    page
}

/// JSON text that cannot end a `<script>` element or break a JavaScript string.
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

const HEAD: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
<title>Rampart comparison</title>\n";

/// Without JavaScript, what only the script draws is hidden: the page is its heading and the
/// table of scores.
const NOSCRIPT_STYLE: &str = "<noscript><style>.skip, #legend, .controls, #shown, #score-scope, \
.layout, #heatmap-keys, #charts-section { display: none; }</style></noscript>\n";

const BODY_START: &str = r##"<a class="skip" href="#charts-section">Skip to the charts</a>
<header>
<h1>Rampart comparison</h1>
<p id="summary">"##;

const BODY_MIDDLE: &str = r##"</p>
<ul class="legend" id="legend" aria-label="Status legend"></ul>
</header>
<main>
<noscript><p class="noscript">JavaScript is off: the table of scores below is complete, but the
heatmap of results, the filters, the evidence and the charts need it. The same comparison is
printed by <code>rampart compare --format markdown</code>.</p></noscript>
<section class="controls" aria-label="Filters">
<label>Pillar <select id="f-pillar"><option value="">all</option></select></label>
<label>Stage <select id="f-stage"><option value="">all</option></select></label>
<label>Severity <select id="f-severity"><option value="">all</option></select></label>
<label id="group-label" hidden>Group <select id="f-group"><option value="">all</option></select></label>
<label>Jurisdiction <input id="f-search" type="search" placeholder="name or id"></label>
<label>Sort by <select id="f-sort">
<option value="rank">rank</option><option value="name">name</option>
<option value="coverage">coverage</option><option value="critical">critical fails</option>
</select></label>
</section>
<p id="shown" class="shown" role="status"></p>
<p id="score-scope" class="hint"></p>
<div class="layout">
<div class="heatmap-wrap" id="heatmap-wrap"><table id="heatmap" class="heatmap" role="grid" aria-describedby="heatmap-keys">
<caption class="visually-hidden">Results by jurisdiction (rows) and norm (columns)</caption>
<thead></thead><tbody></tbody></table></div>
<section id="details" class="details" tabindex="0" aria-label="Details of the selected result"><p class="hint">Select a cell to see the result's evidence and the norm's citations.</p></section>
</div>
<p id="heatmap-keys" class="hint">In the heatmap, the arrow keys move between cells, Home and End to the start and end of a row, Page Up and Page Down by ten rows; Enter or Space shows a result's details.</p>
<p id="announce" class="visually-hidden" aria-live="polite"></p>
<section id="charts-section" aria-labelledby="charts-title"><h2 id="charts-title">Compliance by pillar</h2><p class="hint note" id="charts-note"></p><div id="charts" class="charts"></div></section>
"##;

/// Everything the page's script needs, in compact form.
#[derive(Serialize)]
struct PageData<'c> {
    profile: Option<&'c str>,
    weights: crate::compare::Weights,
    pillars: &'c [Category],
    stages: &'c [Category],
    norms: &'c [NormInfo],
    #[serde(rename = "groupPath")]
    group_path: Option<&'c str>,
    jurisdictions: Vec<PageJurisdiction<'c>>,
    /// The groups' values, for the group filter.
    groups: Vec<&'c str>,
    /// Every distinct evidence text, referred to by index from `e`.
    texts: Vec<String>,
}

/// A ratio as the fraction of its percentage as shown (one decimal, rounded once from the
/// exact ratio), so that the page's formatting shows the same figure as the other formats.
fn rounded(ratio: Option<crate::compare::Ratio>) -> Option<f64> {
    ratio.map(crate::compare::Ratio::shown_value)
}

#[derive(Serialize)]
struct PageJurisdiction<'c> {
    key: &'c str,
    name: &'c str,
    path: &'c str,
    rank: Option<String>,
    position: Option<usize>,
    evaluated: bool,
    below: bool,
    flags: Vec<String>,
    critical: &'c [String],
    compliance: Option<f64>,
    coverage: Option<f64>,
    waived: Option<f64>,
    pillars: Vec<Option<f64>>,
    stages: Vec<Option<f64>>,
    groups: Vec<&'c str>,
    /// One letter per norm: P pass, F fail, W waived, U unknown, N not applicable, E error,
    /// `.` not reported.
    s: String,
    /// The results that do not pass and have evidence or waivers, in norm order.
    e: Vec<Cell<'c>>,
}

/// The evidence of one result, written as the array `[norm, more, waivers, entry…]`: `norm` is
/// its index, `more` the number of findings (or entries without one) left out, `waivers` the
/// records of the waivers that name the norm (possibly none). Each entry is a flat array of
/// integers, `[requirement, item path, item id, message]` followed by `[kind, within, text,
/// at]` per finding shown, where a requirement is its index + 1 and a text is its index in
/// `texts` + 1, 0 meaning none; `kind` indexes the page script's `KINDS`. Flat integers keep
/// 40,000 cells small.
struct Cell<'c> {
    norm: usize,
    more: usize,
    waivers: &'c [WaiverRecord],
    entries: Vec<Vec<usize>>,
}

impl Serialize for Cell<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(3 + self.entries.len()))?;
        seq.serialize_element(&self.norm)?;
        seq.serialize_element(&self.more)?;
        seq.serialize_element(self.waivers)?;
        for entry in &self.entries {
            seq.serialize_element(entry)?;
        }
        seq.end()
    }
}

/// Distinct texts, each stored once and referred to by index.
#[derive(Default)]
struct Texts {
    list: Vec<String>,
    index: HashMap<String, usize>,
}

impl Texts {
    /// The page's reference to `text`: its index + 1, or 0 for none.
    fn reference(&mut self, text: Option<&str>) -> usize {
        text.map_or(0, |text| self.add(text) + 1)
    }

    /// The index of `text`, cut to [`MAX_TEXT`] characters.
    fn add(&mut self, text: &str) -> usize {
        let text = truncate(text);
        if let Some(&i) = self.index.get(text.as_ref()) {
            return i;
        }
        let i = self.list.len();
        self.index.insert(text.to_string(), i);
        self.list.push(text.into_owned());
        i
    }
}

/// `text` cut to [`MAX_TEXT`] characters, with an ellipsis when cut.
fn truncate(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_TEXT) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => std::borrow::Cow::Owned(format!("{}\u{2026}", &text[..end])),
    }
}

/// The page's form of one result's evidence: at most [`MAX_FINDINGS`] findings in all.
fn cell<'c>(
    texts: &mut Texts,
    norm: usize,
    evidence: &[EvidenceRecord],
    waivers: &'c [WaiverRecord],
) -> Cell<'c> {
    let mut entries = Vec::new();
    let mut budget = MAX_FINDINGS;
    let mut more = 0;
    for entry in evidence {
        // An entry without findings still costs one place: its message is what it shows.
        let cost = entry.findings.len().max(1);
        if budget == 0 {
            more += cost;
            continue;
        }
        let item = entry.item.as_ref();
        let mut flat = vec![
            entry.requirement.map_or(0, |r| r + 1),
            texts.reference(item.map(|i| i.path.as_str())),
            texts.reference(item.and_then(|i| i.id.as_deref())),
            texts.reference(entry.message.as_deref()),
        ];
        let shown = entry.findings.len().min(budget);
        for finding in &entry.findings[..shown] {
            let within: String = finding
                .within
                .iter()
                .map(|w| format!("{}: ", w.id.as_deref().unwrap_or(&w.path)))
                .collect();
            flat.extend([
                finding_kind(finding.kind, finding.alternative),
                texts.reference(Some(within.as_str()).filter(|w| !w.is_empty())),
                texts.reference(Some(finding.text.as_str())),
                texts.reference(finding.at.as_deref()),
            ]);
        }
        more += entry.findings.len() - shown;
        budget -= cost.min(budget);
        entries.push(flat);
    }
    Cell {
        norm,
        more,
        waivers,
        entries,
    }
}

/// The index of a finding kind in the page script's `KINDS`, whose second half holds the
/// kinds of findings that are alternatives of a failing `or`.
fn finding_kind(kind: FindingKind, alternative: bool) -> usize {
    let index = match kind {
        FindingKind::Failed => 0,
        FindingKind::Missing => 1,
        FindingKind::Dangling => 2,
        FindingKind::Fault => 3,
        FindingKind::Omitted => 4,
    };
    if alternative { index + 5 } else { index }
}

impl<'c> PageData<'c> {
    fn new(comparison: &'c Comparison, report: &'c Report) -> Self {
        let positions: HashMap<&str, usize> = comparison
            .norms
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        let groups = comparison
            .grouping
            .as_ref()
            .map(|g| g.groups.iter().map(|group| group.value.as_str()).collect())
            .unwrap_or_default();
        // Each jurisdiction's groups, found once rather than by searching every group per row.
        let mut member_of: HashMap<&str, Vec<&str>> = HashMap::new();
        for group in comparison.grouping.iter().flat_map(|g| &g.groups) {
            for member in &group.members {
                member_of.entry(member).or_default().push(&group.value);
            }
        }
        let mut texts = Texts::default();
        let jurisdictions = comparison
            .jurisdictions
            .iter()
            .map(|j| {
                let groups = member_of.remove(j.key.as_str()).unwrap_or_default();
                page_jurisdiction(report, &positions, &mut texts, groups, j)
            })
            .collect();
        PageData {
            profile: comparison.profile.as_deref(),
            weights: comparison.weights,
            pillars: &comparison.pillars,
            stages: &comparison.stages,
            norms: &comparison.norms,
            group_path: comparison.grouping.as_ref().map(|g| g.path.as_str()),
            jurisdictions,
            groups,
            texts: texts.list,
        }
    }
}

fn letter(status: Option<Status>) -> char {
    match status {
        Some(Status::Pass) => 'P',
        Some(Status::Fail) => 'F',
        Some(Status::Waived) => 'W',
        Some(Status::Unknown) => 'U',
        Some(Status::NotApplicable) => 'N',
        Some(Status::Error) => 'E',
        None => '.',
    }
}

fn page_jurisdiction<'c>(
    report: &'c Report,
    positions: &HashMap<&str, usize>,
    texts: &mut Texts,
    groups: Vec<&'c str>,
    jurisdiction: &'c Jurisdiction,
) -> PageJurisdiction<'c> {
    let results = report
        .documents
        .get(jurisdiction.document)
        .and_then(|d| d.results.as_deref())
        .unwrap_or(&[]);
    let e = results
        .iter()
        .filter(|r| r.status != Status::Pass)
        .filter(|r| !r.evidence.is_empty() || !r.waivers.is_empty())
        .filter_map(|r| {
            let norm_idx = *positions.get(r.norm.as_str())?;
            Some(cell(texts, norm_idx, &r.evidence, &r.waivers))
        })
        .collect();
    PageJurisdiction {
        key: &jurisdiction.key,
        name: &jurisdiction.name,
        path: &jurisdiction.path,
        rank: jurisdiction.rank.map(|r| r.to_string()),
        position: jurisdiction.rank.map(|r| r.position),
        evaluated: jurisdiction.evaluated,
        below: jurisdiction.below_baseline(),
        flags: super::flags(jurisdiction),
        critical: &jurisdiction.critical_fails,
        compliance: rounded(jurisdiction.overall.compliance),
        coverage: rounded(jurisdiction.overall.coverage),
        waived: rounded(jurisdiction.overall.waived),
        pillars: jurisdiction
            .pillars
            .iter()
            .map(|s| rounded(s.compliance))
            .collect(),
        stages: (jurisdiction.stages.iter())
            .map(|s| rounded(s.compliance))
            .collect(),
        groups,
        s: jurisdiction.statuses.iter().map(|s| letter(*s)).collect(),
        e,
    }
}
