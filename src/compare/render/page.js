// Rampart comparison page: builds the heatmap, details and charts from the
// embedded JSON with textContent, so no string from a document is ever parsed as HTML, and
// filters and sorts the table of scores that the markup holds (the tables of groups and of
// changes since the baseline are markup too, left as they are). No network access.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("data").textContent);
  const STATUS = {
    P: { word: "pass", symbol: "\u2713" },
    F: { word: "fail", symbol: "\u2717" },
    W: { word: "waived", symbol: "W" },
    U: { word: "unknown", symbol: "?" },
    N: { word: "not applicable", symbol: "\u2013" },
    E: { word: "error", symbol: "!" },
    ".": { word: "not reported", symbol: "\u00b7" },
  };
  const SEVERITIES = ["critical", "high", "medium", "low"];
  // Finding kinds, indexed as in the data's evidence.
  const BASE_KINDS = ["failed", "missing", "dangling", "fault", "omitted"];
  // Then the same kinds for a finding that is an alternative of a failing `or`.
  const KINDS = BASE_KINDS.concat(BASE_KINDS.map((kind) => "or " + kind));
  const CHART_LIMIT = 60;
  const $ = (id) => document.getElementById(id);

  function el(tag, props, children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (key === "text") node.textContent = value;
        else if (key === "className") node.className = value;
        else node.setAttribute(key, value);
      }
    }
    for (const child of children || []) node.appendChild(child);
    return node;
  }
  const text = (value) => document.createTextNode(value);
  const pct = (v) => (v === null || v === undefined ? "\u2013" : (v * 100).toFixed(1) + "%");
  const statusClass = (letter) => (letter === "." ? "s-dot" : "s-" + letter);

  function option(select, value, label) {
    select.appendChild(el("option", { value: String(value), text: label }));
  }

  function setupControls() {
    data.pillars.forEach((p, i) => option($("f-pillar"), i, p.id + " \u2013 " + p.title));
    data.stages.forEach((s, i) => option($("f-stage"), i, s.id + " \u2013 " + s.title));
    SEVERITIES.forEach((s) => option($("f-severity"), s, s));
    data.pillars.forEach((p, i) => option($("f-sort"), "pillar:" + i, "pillar " + p.id));
    if (data.groupPath) {
      $("group-label").hidden = false;
      data.groups.forEach((g) => option($("f-group"), g, g));
    }
    for (const id of ["f-pillar", "f-stage", "f-severity", "f-group", "f-sort"]) {
      $(id).addEventListener("change", draw);
    }
    $("f-search").addEventListener("input", () => draw({ quiet: true }));
  }

  // The status legend of the heatmap (the summary above it is written in the page's markup).
  function setupLegend() {
    for (const letter of ["P", "F", "W", "U", "N", "E", "."]) {
      $("legend").appendChild(el("li", null, [
        el("span", { className: "swatch " + statusClass(letter), text: STATUS[letter].symbol, "aria-hidden": "true" }),
        text(STATUS[letter].word),
      ]));
    }
  }

  function visibleNorms() {
    const pillar = $("f-pillar").value;
    const stage = $("f-stage").value;
    const severity = $("f-severity").value;
    const out = [];
    data.norms.forEach((norm, index) => {
      if (pillar !== "" && String(norm.pillar) !== pillar) return;
      if (stage !== "" && !norm.stages.includes(Number(stage))) return;
      if (severity !== "" && norm.severity !== severity) return;
      out.push(index);
    });
    // Grouped by pillar, in declaration order; norms keep their order within a pillar.
    out.sort((a, b) => pillarOrder(a) - pillarOrder(b) || a - b);
    return out;
  }
  const pillarOrder = (n) => (data.norms[n].pillar === null ? 1e9 : data.norms[n].pillar);

  function visibleJurisdictions() {
    const group = $("f-group").value;
    const search = $("f-search").value.trim().toLowerCase();
    const sort = $("f-sort").value;
    const rows = [];
    data.jurisdictions.forEach((j, index) => {
      if (group !== "" && !j.groups.includes(group)) return;
      if (search && !(j.name.toLowerCase().includes(search) || j.key.toLowerCase().includes(search))) return;
      rows.push(index);
    });
    const num = (v) => (v === null || v === undefined ? -1 : v);
    const byKey = {
      rank: () => 0,
      name: (a, b) => data.jurisdictions[a].name.localeCompare(data.jurisdictions[b].name),
      coverage: (a, b) => num(data.jurisdictions[b].coverage) - num(data.jurisdictions[a].coverage),
      critical: (a, b) => data.jurisdictions[b].critical.length - data.jurisdictions[a].critical.length,
    };
    let compare = byKey[sort];
    if (!compare && sort.startsWith("pillar:")) {
      const p = Number(sort.slice(7));
      compare = (a, b) => num(data.jurisdictions[b].pillars[p]) - num(data.jurisdictions[a].pillars[p]);
    }
    rows.sort((a, b) => (compare ? compare(a, b) : 0) || a - b);
    return rows;
  }

  function drawHead(norms) {
    const thead = $("heatmap").tHead;
    thead.textContent = "";
    const top = el("tr", { "aria-rowindex": "1" }, [
      el("th", { className: "num", rowspan: "2", scope: "col", text: "Rank" }),
      el("th", { className: "jur", rowspan: "2", scope: "col", text: "Jurisdiction" }),
      el("th", { className: "num", rowspan: "2", scope: "col", text: view.score.label }),
    ]);
    const bottom = el("tr", { "aria-rowindex": "2" });
    let i = 0;
    while (i < norms.length) {
      const pillar = data.norms[norms[i]].pillar;
      let span = 0;
      while (i + span < norms.length && data.norms[norms[i + span]].pillar === pillar) span++;
      const name = pillar === null ? "(no pillar)" : data.pillars[pillar].id;
      top.appendChild(el("th", { className: "pillar", colspan: String(span), scope: "col", text: name,
        title: pillar === null ? "" : data.pillars[pillar].title }));
      for (let k = 0; k < span; k++) {
        const norm = data.norms[norms[i + k]];
        bottom.appendChild(el("th", { className: "norm", scope: "col", text: norm.id,
          title: norm.id + ": " + norm.title + " (" + norm.severity + ")" }));
      }
      i += span;
    }
    thead.appendChild(top);
    thead.appendChild(bottom);
  }

  // The row's header: the jurisdiction's name, a button that shows its scores. Like every cell
  // of the grid it is out of the tab order but for the one cell that has the focus (see focusAt).
  function nameCell(j, index) {
    const button = el("button", { className: "linkish", type: "button", "data-j": String(index), text: j.name,
      dir: "auto", tabindex: "-1" });
    // Flags come first so that a long name, cut with an ellipsis, never hides them.
    const cell = el("th", { className: "jur", scope: "row", title: j.name + " (" + j.key + ")" });
    // A space after each badge keeps it apart from the name for screen readers.
    if (j.below) cell.append(el("span", { className: "badge below", text: "\u26a0 below baseline" }), " ");
    if (!j.evaluated) cell.append(el("span", { className: "badge", text: "not evaluated" }), " ");
    cell.appendChild(button);
    return cell;
  }

  // Cells are written as markup built only from constants and integers (status classes,
  // symbols, status words, norm indices): nothing from a document goes into it, and one string
  // per row is much faster than 85,000 createElement calls. Names are added as text nodes.
  // A cell is named by its status in words; its row and column headers say whose and which.
  function cellMarkup(letter, n) {
    const status = STATUS[letter] || STATUS["."];
    return '<td class="cell ' + statusClass(letter) + '" data-n="' + n + '" tabindex="-1" aria-label="' +
      status.word + '">' + status.symbol + "</td>";
  }

  // Rows are virtual: only those near the visible part of the heatmap are in the DOM, between
  // two spacer rows, so 1,000 jurisdictions × 80 norms stay fast to lay out. Printing draws all.
  const OVERSCAN = 15;
  // `focus` is the grid position of the one cell in the tab order: a row of `rows` and a column,
  // 0 for the name, k for the k-th norm of `norms`.
  const view = { rows: [], norms: [], score: null, first: -1, last: -1, all: false, rowHeight: 24, focus: { row: 0, col: 0 } };
  const HEADER_ROWS = 2;

  function rowElement(index, position) {
    const j = data.jurisdictions[index];
    const tr = el("tr", { "data-j": String(index), "aria-rowindex": String(position + HEADER_ROWS + 1) });
    tr.appendChild(el("td", { className: "num", text: j.rank || "\u2013" }));
    tr.appendChild(nameCell(j, index));
    tr.appendChild(el("td", { className: "num", text: pct(view.score.of(j)) }));
    const norms = view.norms;
    const cells = new Array(norms.length);
    for (let k = 0; k < norms.length; k++) cells[k] = cellMarkup(j.s.charAt(norms[k]) || ".", norms[k]);
    tr.insertAdjacentHTML("beforeend", cells.join(""));
    return tr;
  }

  function spacer(rows) {
    const tr = el("tr", { className: "spacer", "aria-hidden": "true" });
    const td = el("td", { colspan: String(view.norms.length + 3) });
    td.style.height = rows * view.rowHeight + "px";
    tr.appendChild(td);
    return tr;
  }

  function drawWindow() {
    const wrap = $("heatmap-wrap");
    let first = 0;
    let last = view.rows.length;
    if (!view.all) {
      const top = Math.max(0, wrap.scrollTop - $("heatmap").tHead.offsetHeight);
      const height = Math.max(wrap.clientHeight, window.innerHeight);
      first = Math.max(0, Math.floor(top / view.rowHeight) - OVERSCAN);
      last = Math.min(view.rows.length, first + Math.ceil(height / view.rowHeight) + 2 * OVERSCAN);
    }
    if (first === view.first && last === view.last) return;
    view.first = first;
    view.last = last;
    const fragment = document.createDocumentFragment();
    if (first > 0) fragment.appendChild(spacer(first));
    for (let i = first; i < last; i++) fragment.appendChild(rowElement(view.rows[i], i));
    if (last < view.rows.length) fragment.appendChild(spacer(view.rows.length - last));
    const tbody = $("heatmap").tBodies[0];
    // Redrawing replaces the focused cell: the focus moves to the new one (or, when the wheel
    // scrolled its row away, to the nearest drawn row) instead of falling back to the page.
    const hadFocus = tbody.contains(document.activeElement);
    tbody.textContent = "";
    tbody.appendChild(fragment);
    if (last > first) view.focus.row = Math.min(Math.max(view.focus.row, first), last - 1);
    markFocus(hadFocus);
    measureRows(tbody);
  }

  // The element of the grid at a position: the name button, or a norm's cell.
  function elementAt(row, col) {
    const tr = $("heatmap").tBodies[0].querySelector('tr[aria-rowindex="' + (row + HEADER_ROWS + 1) + '"]');
    if (!tr) return null;
    return col === 0 ? tr.querySelector("button[data-j]") : tr.querySelectorAll("td.cell")[col - 1] || null;
  }

  // Puts the cell at view.focus in the tab order (and the others out), focusing it if asked.
  function markFocus(giveFocus) {
    const target = elementAt(view.focus.row, view.focus.col);
    if (!target) return;
    for (const old of $("heatmap").querySelectorAll('[tabindex="0"]')) if (old !== target) old.tabIndex = -1;
    target.tabIndex = 0;
    if (giveFocus) {
      target.focus({ preventScroll: true });
      reveal(target);
    }
  }

  // Moves the focus to a grid position, scrolling its row into the drawn window first.
  function focusAt(row, col) {
    if (!view.rows.length) return;
    view.focus = {
      row: Math.min(Math.max(row, 0), view.rows.length - 1),
      col: Math.min(Math.max(col, 0), view.norms.length),
    };
    if (view.focus.row < view.first || view.focus.row >= view.last) {
      const wrap = $("heatmap-wrap");
      wrap.scrollTop = view.focus.row * view.rowHeight - wrap.clientHeight / 2;
      drawWindow();
    }
    markFocus(true);
  }

  // Scrolls the heatmap so that a focused cell is not hidden under the sticky header or the
  // sticky name column.
  function reveal(target) {
    const wrap = $("heatmap-wrap");
    const cell = target.closest("td, th");
    const row = cell.parentElement;
    const name = row.querySelector(".jur");
    const left = cell === name ? 0 : name.offsetWidth;
    const top = $("heatmap").tHead.offsetHeight;
    if (cell.offsetLeft - left < wrap.scrollLeft) wrap.scrollLeft = cell.offsetLeft - left;
    else if (cell.offsetLeft + cell.offsetWidth > wrap.scrollLeft + wrap.clientWidth) {
      wrap.scrollLeft = cell.offsetLeft + cell.offsetWidth - wrap.clientWidth;
    }
    if (row.offsetTop - top < wrap.scrollTop) wrap.scrollTop = row.offsetTop - top;
    else if (row.offsetTop + row.offsetHeight > wrap.scrollTop + wrap.clientHeight) {
      wrap.scrollTop = row.offsetTop + row.offsetHeight - wrap.clientHeight;
    }
  }

  // The grid position of an element of a drawn row.
  function positionOf(target) {
    const tr = target.closest && target.closest("tr[data-j]");
    if (!tr) return null;
    const row = Number(tr.getAttribute("aria-rowindex")) - HEADER_ROWS - 1;
    const td = target.closest("td.cell");
    return { row, col: td ? view.norms.indexOf(Number(td.dataset.n)) + 1 : 0 };
  }

  const PAGE_ROWS = 10;
  function onGridKey(event) {
    const at = positionOf(event.target);
    if (!at) return;
    const last = view.norms.length;
    const moves = {
      ArrowRight: [at.row, at.col + 1], ArrowLeft: [at.row, at.col - 1],
      ArrowDown: [at.row + 1, at.col], ArrowUp: [at.row - 1, at.col],
      PageDown: [at.row + PAGE_ROWS, at.col], PageUp: [at.row - PAGE_ROWS, at.col],
      Home: event.ctrlKey ? [0, 0] : [at.row, 0],
      End: event.ctrlKey ? [view.rows.length - 1, last] : [at.row, last],
    };
    if (moves[event.key]) {
      event.preventDefault();
      focusAt(moves[event.key][0], moves[event.key][1]);
    } else if ((event.key === "Enter" || event.key === " ") && event.target.matches("td.cell")) {
      event.preventDefault();
      onActivate(event);
    }
  }

  // Spacers assume every row is as high as the first drawn one.
  function measureRows(tbody) {
    const row = tbody.querySelector("tr[data-j]");
    const height = row ? row.getBoundingClientRect().height : 0;
    if (height > 0 && Math.abs(height - view.rowHeight) > 0.5) {
      view.rowHeight = height;
      view.first = -1;
      drawWindow();
    }
  }

  // A cell's tooltip (norm and status in words, and whose) is set when the pointer or focus
  // reaches it.
  function labelCell(event) {
    const td = event.target.closest && event.target.closest("td.cell");
    if (!td || td.title) return;
    const j = data.jurisdictions[Number(td.parentElement.dataset.j)];
    const n = Number(td.dataset.n);
    td.title = data.norms[n].id + ": " + STATUS[j.s.charAt(n) || "."].word + " (" + j.name + ")";
  }

  // The count of rows shown; while typing in the search box it is told once typing pauses, so
  // that a screen reader does not read it at every key.
  let shownTimer = 0;
  function tellShown(quiet) {
    const textOf = () => view.rows.length + " of " + data.jurisdictions.length + " jurisdictions shown";
    clearTimeout(shownTimer);
    if (quiet) shownTimer = setTimeout(() => { $("shown").textContent = textOf(); }, 600);
    else $("shown").textContent = textOf();
  }

  // The score the heatmap's compliance column shows: the selected pillar's or stage's when it is
  // the only filter of norms (the figure every format prints), else the overall score, said to
  // be overall, since no score is computed for other selections of norms.
  function shownScore() {
    const pillar = $("f-pillar").value;
    const stage = $("f-stage").value;
    const severity = $("f-severity").value;
    if (pillar !== "" && stage === "" && severity === "") {
      const p = data.pillars[pillar];
      return { label: p.id + " compliance", scope: "Compliance: the " + p.id + " pillar's score (" + p.title + ").",
        of: (j) => j.pillars[pillar] };
    }
    if (stage !== "" && pillar === "" && severity === "") {
      const s = data.stages[stage];
      return { label: s.id + " compliance", scope: "Compliance: the " + s.id + " stage's score (" + s.title + ").",
        of: (j) => j.stages[stage] };
    }
    const filtered = pillar !== "" || stage !== "" || severity !== "";
    return { label: "Overall compliance", of: (j) => j.compliance,
      scope: filtered ? "Compliance: the overall score, over all norms; these filters choose the columns shown, not the score."
        : "Compliance: the overall score, over all norms." };
  }

  // The table of scores, written in the markup after this script (see html.rs), shows the rows
  // of the heatmap, in its order, and only the selected pillar's column. It is changed only
  // where the filters change it: at 1,000 rows, restyling every row would slow the page down.
  const scores = { rows: [], order: [], style: document.head.appendChild(el("style")) };
  function setupScores() {
    scores.rows = Array.from($("scores").tBodies[0].rows);
    scores.order = scores.rows.map((tr, index) => index);
    drawScores();
  }

  function drawScores() {
    if (!scores.rows.length) return;
    const pillar = $("f-pillar").value;
    // Columns 5 to 4 + the number of pillars are the pillars' (1-based, after rank, name,
    // overall compliance and coverage).
    scores.style.textContent = pillar === "" ? "" : "#scores tr > :nth-child(n+5):nth-child(-n+" +
      (4 + data.pillars.length) + "):not(:nth-child(" + (5 + Number(pillar)) + ")) { display: none; }";
    if (view.rows.length === scores.order.length && view.rows.every((row, i) => row === scores.order[i])) return;
    const shown = new Set(view.rows);
    scores.rows.forEach((tr, index) => { tr.hidden = !shown.has(index); });
    $("scores").tBodies[0].append(...view.rows.map((index) => scores.rows[index]));
    scores.order = view.rows.slice();
  }

  function draw(options) {
    view.norms = visibleNorms();
    view.rows = visibleJurisdictions();
    view.score = shownScore();
    $("score-scope").textContent = view.score.scope;
    view.first = view.last = -1;
    view.focus.col = Math.min(view.focus.col, view.norms.length);
    drawHead(view.norms);
    $("heatmap").setAttribute("aria-rowcount", String(view.rows.length + HEADER_ROWS));
    $("heatmap").setAttribute("aria-colcount", String(view.norms.length + 3));
    tellShown(options && options.quiet);
    drawWindow();
    drawCharts(view.rows);
    drawScores();
  }

  // Details of one result: status, norm, evidence, waivers, citations.
  function showCell(jIndex, nIndex, td) {
    const j = data.jurisdictions[jIndex];
    const norm = data.norms[nIndex];
    const letter = j.s.charAt(nIndex) || ".";
    const detail = j.e.find((cell) => cell[0] === nIndex) || [nIndex, 0, []];
    const panel = $("details");
    panel.textContent = "";
    panel.appendChild(el("h2", { text: j.name + " \u2014 " + norm.id, dir: "auto" }));
    panel.appendChild(el("p", null, [
      el("span", { className: "swatch " + statusClass(letter), text: STATUS[letter].symbol, "aria-hidden": "true" }),
      text(" " + STATUS[letter].word + " \u00b7 " + norm.severity + " \u00b7 " + norm.title),
    ]));
    const dl = el("dl");
    const stages = norm.stages.map((s) => data.stages[s].id).join(", ");
    addTerm(dl, "Pillar", norm.pillar === null ? "\u2013" : data.pillars[norm.pillar].title);
    addTerm(dl, "Stages", stages || "\u2013");
    panel.appendChild(dl);
    panel.appendChild(el("h3", { text: "Evidence" }));
    panel.appendChild(evidenceList(detail, letter));
    for (const w of detail[2]) panel.appendChild(waiverBlock(w));
    panel.appendChild(el("h3", { text: "Citations" }));
    const cites = el("ul");
    for (const c of norm.citations) {
      cites.appendChild(el("li", { text: (c.title || c.source) + (c.locator ? ", " + c.locator : "") + " [" + c.source + "]" }));
    }
    if (!norm.citations.length) cites.appendChild(el("li", { text: "none" }));
    panel.appendChild(cites);
    for (const old of document.querySelectorAll("td.selected")) old.classList.remove("selected");
    if (td) td.classList.add("selected");
    $("announce").textContent = j.name + ", " + norm.id + ": " + STATUS[letter].word +
      ". The details are shown after the heatmap; press Tab to read them.";
  }

  function addTerm(dl, term, value) {
    dl.appendChild(el("dt", { text: term }));
    dl.appendChild(el("dd", { text: value }));
  }

  // Evidence is stored compactly (see html.rs): a cell is [norm, more, waivers, entry...], an
  // entry [requirement + 1, item path, item id, message, then kind, within, text, at per
  // finding]; texts are indices into data.texts + 1, 0 meaning none.
  function evidenceList(cell, letter) {
    const T = (ref) => (ref ? data.texts[ref - 1] : "");
    const list = el("ul", { className: "evidence" });
    const entries = cell.slice(3);
    if (!entries.length) {
      const why = letter === "P" ? "The norm passes; no evidence is recorded for passes."
        : letter === "N" ? "The norm does not apply." : "No evidence recorded.";
      list.appendChild(el("li", { text: why }));
    }
    for (const entry of entries) {
      const [requirement, path, id, message] = entry;
      const li = el("li");
      let head = requirement === 0 ? "applicability or evaluation" : "requirement " + requirement;
      if (path) head += ", " + T(path) + (id ? " (" + T(id) + ")" : "");
      li.appendChild(el("strong", { text: head }));
      if (message) li.appendChild(el("div", { className: "message", text: T(message) }));
      const findings = el("ul");
      for (let k = 4; k + 3 < entry.length; k += 4) {
        const at = entry[k + 3];
        findings.appendChild(el("li", { className: "finding",
          text: KINDS[entry[k]] + ": " + T(entry[k + 1]) + T(entry[k + 2]) + (at ? "  [" + T(at) + "]" : "") }));
      }
      li.appendChild(findings);
      list.appendChild(li);
    }
    if (cell[1]) {
      list.appendChild(el("li", { className: "more", text: "\u2026 " + cell[1] + " more \u2014 run `rampart check` for all" }));
    }
    return list;
  }

  function waiverBlock(w) {
    const dl = el("dl");
    addTerm(dl, "Waiver", "waivers[" + w.index + "]: " + (w.state_text || w.state));
    addTerm(dl, "Approved by", w.approved_by || "nobody");
    addTerm(dl, "Expires", w.expires || "never");
    if (w.scope) addTerm(dl, "Scope", w.scope);
    if (w.reason) addTerm(dl, "Reason", w.reason);
    return dl;
  }

  function showJurisdiction(jIndex) {
    const j = data.jurisdictions[jIndex];
    const panel = $("details");
    panel.textContent = "";
    panel.appendChild(el("h2", { text: j.name + " (" + j.key + ")", dir: "auto" }));
    const dl = el("dl");
    addTerm(dl, "Rank", j.rank || "unranked");
    addTerm(dl, "Overall compliance", pct(j.compliance));
    addTerm(dl, "Coverage", pct(j.coverage));
    addTerm(dl, "Waived", pct(j.waived));
    addTerm(dl, "Flags", j.flags.join(", ") || "none");
    addTerm(dl, "Critical fails", j.critical.join(", ") || "none");
    addTerm(dl, "File", j.path);
    panel.appendChild(dl);
    panel.appendChild(chart(j));
    $("announce").textContent = j.name + ": overall compliance " + pct(j.compliance) +
      ". The details are shown after the heatmap; press Tab to read them.";
  }

  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    return node;
  }

  // Horizontal bars, one per pillar, 0-100 %.
  function chart(j) {
    const rowH = 16, labelW = 110, barW = 190, valueW = 44;
    const height = data.pillars.length * rowH + 4;
    const root = svg("svg", { viewBox: "0 0 " + (labelW + barW + valueW) + " " + height, role: "img" });
    const title = svg("title");
    // The image's name carries its figures, which its text elements cannot (role img hides them).
    const figures = data.pillars.map((p, i) => p.id + " " + pct(j.pillars[i]));
    title.textContent = "Compliance by pillar, " + j.name + ": " + figures.join(", ");
    root.appendChild(title);
    data.pillars.forEach((p, i) => {
      const y = i * rowH + 2;
      const v = j.pillars[i];
      const label = svg("text", { x: 0, y: y + 11 });
      label.textContent = p.id;
      root.appendChild(label);
      root.appendChild(svg("rect", { class: "track", x: labelW, y: y + 2, width: barW, height: rowH - 5 }));
      if (v !== null && v !== undefined) {
        root.appendChild(svg("rect", { class: v < 0.5 ? "bar low" : "bar", x: labelW, y: y + 2, width: (barW * v).toFixed(1), height: rowH - 5 }));
      }
      const value = svg("text", { x: labelW + barW + 4, y: y + 11 });
      value.textContent = pct(v);
      root.appendChild(value);
    });
    return root;
  }

  function drawCharts(rows) {
    const box = $("charts");
    box.textContent = "";
    const shown = rows.slice(0, CHART_LIMIT);
    $("charts-note").textContent = rows.length > CHART_LIMIT
      ? "Showing the first " + CHART_LIMIT + " of " + rows.length + " jurisdictions; filter to see others."
      : "";
    const fragment = document.createDocumentFragment();
    for (const index of shown) {
      const j = data.jurisdictions[index];
      // The badge comes before the name, as in the heatmap.
      const head = el("h3", { dir: "auto" });
      if (j.below) head.append(el("span", { className: "badge below", text: "\u26a0 below baseline" }), " ");
      head.append((j.rank ? j.rank + ". " : "") + j.name);
      fragment.appendChild(el("div", { className: "chart" }, [head, chart(j)]));
    }
    box.appendChild(fragment);
  }

  function onActivate(event) {
    const target = event.target;
    const button = target.closest && target.closest("button[data-j]");
    if (button) { showJurisdiction(Number(button.dataset.j)); return; }
    const td = target.closest && target.closest("td.cell");
    if (!td) return;
    const tr = td.parentElement;
    showCell(Number(tr.dataset.j), Number(td.dataset.n), td);
  }

  // A click (or a Tab into the grid) makes the clicked cell the one in the tab order.
  function onGridFocus(event) {
    const at = positionOf(event.target);
    if (!at) return;
    view.focus = at;
    markFocus(false);
  }

  setupLegend();
  setupControls();
  $("heatmap").addEventListener("click", onActivate);
  $("heatmap").addEventListener("mouseover", labelCell);
  $("heatmap").addEventListener("focusin", labelCell);
  $("heatmap").addEventListener("focusin", onGridFocus);
  let pending = false;
  const onScroll = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; drawWindow(); });
  };
  $("heatmap-wrap").addEventListener("scroll", onScroll, { passive: true });
  window.addEventListener("resize", onScroll);
  window.addEventListener("beforeprint", () => { view.all = true; view.first = -1; drawWindow(); });
  window.addEventListener("afterprint", () => { view.all = false; view.first = -1; drawWindow(); });
  $("heatmap").addEventListener("keydown", onGridKey);
  draw();
  document.addEventListener("DOMContentLoaded", setupScores);
})();
