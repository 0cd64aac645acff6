/* mtqa report: the reviewer's workbench, drawn from the JSON payload; text only ever via textContent.
 *
 * Speed at test-set size: the data is parsed once, indexed once per system (rows by document and
 * bead, issues by row), and only one page of rows is in the DOM at a time (paged rather than
 * virtualised: rows wrap to any height, and pages keep the browser's own find, printing and screen
 * readers working on what is shown).  Every filter, search, sort or system switch recomputes the
 * list from the indexes and draws one page.  The whole view state lives in the URL hash.
 */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("mtqa-data").textContent);
  var SEV = DATA.severities;
  var SEV_RANK = {};
  SEV.forEach(function (s, k) { SEV_RANK[s] = k; });
  var STATUSES = ["open", "confirmed", "false_positive", "fixed"];
  var STATUS_LABEL = { open: "open", confirmed: "confirmed", false_positive: "false positive", fixed: "fixed" };
  var SYSTEMS = DATA.systems;
  var PAGE_SIZE = { seg: 50, issues: 100, cmp: 50 };
  var FILTERS = ["severity", "category", "code", "status"];
  var HASH_KEY = { severity: "sev", category: "cat", code: "code", status: "st" };
  var GROUP_NAME = { severity: "severities", category: "categories", code: "checks", status: "decisions" };
  var STORE_KEY = "mtqa-decisions:" + DATA.key;
  var MANY_DOCS = DATA.documents.length > 1 || !!DATA.part;  // name the documents

  var ISSUES = DATA.issues;
  var BY_N = {};
  var SYS_INDEX = {};
  SYSTEMS.forEach(function (s, k) { SYS_INDEX[s] = k; });
  var ISSUES_BY_SYS = SYSTEMS.map(function () { return []; });
  ISSUES.forEach(function (i) {
    BY_N[i.n] = i;
    i.sys = SYS_INDEX[i.system];
    i.rule = DATA.rules[i.code] || "";
    i.status0 = i.status;
    i.comment0 = i.comment || "";
    if (i.sys !== undefined) ISSUES_BY_SYS[i.sys].push(i);
  });

  /* ---- reviewer decisions: in memory and in localStorage, keyed by the results' creation time ---- */
  var decisions = {};
  try { decisions = JSON.parse(window.localStorage.getItem(STORE_KEY) || "{}") || {}; } catch (e) { decisions = {}; }
  function applyDecision(i) {
    var d = decisions[i.fingerprint];
    i.status = d ? d.status : i.status0;
    i.comment = d ? d.comment : i.comment0;
  }
  ISSUES.forEach(applyDecision);
  function decide(n, status, comment) {
    var issue = BY_N[n];
    // what the export needs is kept with the decision: the other pages of a split report export it too
    if (status === issue.status0 && comment === issue.comment0) delete decisions[issue.fingerprint];
    else decisions[issue.fingerprint] = { status: status, comment: comment, code: issue.code, text: issue.text, system: issue.system, location: issue.where };
    ISSUES.forEach(function (i) { if (i.fingerprint === issue.fingerprint) applyDecision(i); });
    try { window.localStorage.setItem(STORE_KEY, JSON.stringify(decisions)); } catch (e) { /* private mode: memory only */ }
  }

  var state = defaults();
  function defaults() {
    return { view: "seg", sys: 0, cmp: SYSTEMS.length > 1 ? 1 : 0, f: { severity: null, category: null, code: null, status: null },
             q: "", sort: "doc", cmpShow: "all", onlyIssues: false, showIgnored: false, page: 0, seg: null, issue: null };
  }
  var shown = { items: [], walk: [], pageOf: {} };  // what the current view lists, and the issues j/k walks

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
      }
    }
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function $(id) { return document.getElementById(id); }

  /* ---- indexes: one row per (document, bead) of a system, its issues, its score ---- */
  var ROWS = [];
  function rowsOf(s) {
    if (ROWS[s]) return ROWS[s];
    var name = SYSTEMS[s], list = [], byKey = {}, bySrc = [];
    var scores = DATA.unitScores[name];
    var adequacy = DATA.adequacy[name];
    DATA.documents.forEach(function (doc, d) {
      var beads = (DATA.beads[name] || [])[d];
      var n = typeof beads === "number" ? beads : (beads || []).length;
      var srcMap = {};
      var docScores = scores ? scores.scores[d] || [] : [];
      for (var b = 0; b < n; b++) {
        var bead = typeof beads === "number" ? null : beads[b];
        var score = docScores[b];
        var adq = adequacy ? adequacy[d][b] : null;
        var row = { d: d, b: b, key: d + "-" + b, bead: bead, pos: list.length, issues: [], vis: [], score: score === undefined ? null : score,
                    adequacy: adq === undefined ? null : adq };
        list.push(row);
        byKey[row.key] = row;
        var srcs = bead ? bead[0] : [b];
        for (var k = 0; k < srcs.length; k++) if (!(srcs[k] in srcMap)) srcMap[srcs[k]] = row;
      }
      bySrc.push(srcMap);
    });
    var unplaced = [];
    ISSUES_BY_SYS[s].forEach(function (i) {
      var row = i.bead === null || i.bead === undefined ? null : byKey[i.doc + "-" + i.bead];
      if (row) { row.issues.push(i); i.row = row; } else unplaced.push(i);
    });
    list.forEach(function (row) {
      row.issues.sort(function (x, y) { return (x.side === y.side ? 0 : x.side === "source" ? -1 : 1) || x.start - y.start || x.n - y.n; });
    });
    ROWS[s] = { name: name, list: list, byKey: byKey, bySrc: bySrc, unplaced: unplaced, hay: null, hayLow: null,
                higher: scores ? scores.higher !== false : true, metric: scores ? scores.metric : null, adequacy: !!adequacy };
    return ROWS[s];
  }
  function srcIdx(row) { return row.bead ? row.bead[0] : [row.b]; }
  function tgtIdx(row) { return row.bead ? row.bead[1] : [row.b]; }
  function refIdx(row, ref) { return row.bead ? row.bead[2][ref] || [] : [row.b]; }
  function texts(list, idx) { return idx.map(function (k) { return list[k] || ""; }).join(" "); }
  function lineOf(lines, k, from) { return lines ? lines[k] : (from || 0) + k + 1; }  // from: where a document part starts

  /* The text a search looks through, per row: source, target, references, the issues' messages. */
  function haystacks(R) {
    if (R.hay) return R;
    R.hay = R.list.map(function (row) {
      var doc = DATA.documents[row.d];
      var parts = [texts(doc.source, srcIdx(row)), texts(doc.targets[R.name] || [], tgtIdx(row))];
      DATA.references.forEach(function (ref) { if (doc.references[ref]) parts.push(texts(doc.references[ref], refIdx(row, ref))); });
      row.issues.forEach(function (i) { parts.push(i.code + " " + i.rule + ": " + i.message); });
      return parts.join("\n");
    });
    R.hayLow = R.hay.map(function (h) { return h.toLowerCase(); });
    return R;
  }
  function matcher() {
    if (!state.q) return null;
    var m = /^\/(.+)\/([a-z]*)$/.exec(state.q);
    if (m) {
      try {
        // "m": ^ and $ also at the start and end of each text (source, target, references, messages)
        var re = new RegExp(m[1], m[2].replace(/[gmy]/g, "") + "m");
        return { error: null, row: function (R, row) { return re.test(R.hay[row.pos]); }, text: function (t) { return re.test(t); } };
      } catch (e) {
        return { error: "not a regular expression: " + e.message };
      }
    }
    var low = state.q.toLowerCase();
    return { error: null, row: function (R, row) { return R.hayLow[row.pos].indexOf(low) >= 0; }, text: function (t) { return t.toLowerCase().indexOf(low) >= 0; } };
  }

  /* A filter is null (every value), {inc: true, set} (only these) or {inc: false, set} (all but these:
     what unchecking leaves, so that values another system has stay shown). */
  function inSet(key, value) { var f = state.f[key]; return !f || f.inc === f.set.has(value); }
  function visible(i) {
    if (i.ignored && !state.showIgnored) return false;
    return inSet("severity", i.severity) && inSet("category", i.category) && inSet("code", i.code) && inSet("status", i.status);
  }
  function issueFiltersActive() { return FILTERS.some(function (k) { return state.f[k] !== null; }); }

  /* ---- what each view lists (all pages), and the walk order of its issues ---- */
  function compute() {
    var m = matcher();
    shown = { items: [], walk: [], pageOf: {}, error: m && m.error, total: 0, issues: 0 };
    if (m && m.error) m = null;
    if (state.view === "issues") computeIssues(m);
    else if (state.view === "cmp") computeCompare(m);
    else computeSegments(m);
    var size = PAGE_SIZE[state.view];
    shown.pages = Math.max(1, Math.ceil(shown.items.length / size));
    shown.walk.forEach(function (w) { shown.pageOf[w.n] = Math.floor(w.at / size); });
  }

  function computeSegments(m) {
    var R = rowsOf(state.sys);
    if (m) haystacks(R);
    var rows = [];
    R.list.forEach(function (row) {
      row.vis = row.issues.filter(visible);
      if (state.onlyIssues && !row.vis.length) return;
      if (m && !m.row(R, row)) return;
      rows.push(row);
    });
    sortRows(rows, R);
    rows.forEach(function (row, k) { row.vis.forEach(function (i) { shown.walk.push({ n: i.n, at: k }); }); shown.issues += row.vis.length; });
    shown.items = rows;
    shown.total = R.list.length;
    // issues outside any aligned segment (or a results file without texts) come after the last row
    shown.unplaced = R.unplaced.filter(function (i) { return visible(i) && (!m || m.text(i.code + " " + i.rule + ": " + i.message + "\n" + i.text)); });
    shown.unplaced.forEach(function (i) { shown.walk.push({ n: i.n, at: Math.max(0, rows.length - 1) }); });
    shown.issues += shown.unplaced.length;
  }

  function worst(list) { var w = 99; list.forEach(function (i) { w = Math.min(w, SEV_RANK[i.severity]); }); return w; }
  function sortRows(rows, R) {
    var key = state.sort;
    if (key === "score") {
      var sign = R.higher ? 1 : -1;
      rows.sort(function (a, b) {
        if (a.score === null || b.score === null) return (a.score === null) - (b.score === null) || a.pos - b.pos;
        return sign * (a.score - b.score) || a.pos - b.pos;
      });
    } else if (key === "adequacy") {
      // least adequate first (A5's z-score); segments without one after, in document order
      rows.sort(function (a, b) { return adequacyKey(a) - adequacyKey(b) || a.pos - b.pos; });
    } else if (key === "issues") {
      rows.sort(function (a, b) { return b.vis.length - a.vis.length || a.pos - b.pos; });
    } else if (key === "severity") {
      rows.forEach(function (r) { r.worst = worst(r.vis); });
      rows.sort(function (a, b) { return a.worst - b.worst || b.vis.length - a.vis.length || a.pos - b.pos; });
    }
  }

  function adequacyKey(row) { return !row || row.adequacy === null ? 1e9 : row.adequacy; }

  function computeIssues(m) {
    var R = rowsOf(state.sys);
    if (m) haystacks(R);
    var groups = {}, order = [];
    ISSUES_BY_SYS[state.sys].forEach(function (i) {
      if (!visible(i)) return;
      if (m && !(m.text(i.code + " " + i.rule + ": " + i.message + "\n" + i.text) || (i.row && m.row(R, i.row)))) return;
      if (!groups[i.code]) { groups[i.code] = []; order.push(i.code); }
      groups[i.code].push(i);
    });
    var pos = function (i) { return i.row ? i.row.pos : 1e12 + i.n; };
    order.forEach(function (code) {
      var list = groups[code];
      if (state.sort === "score") list.sort(function (a, b) { return rowScore(a, R) - rowScore(b, R) || pos(a) - pos(b); });
      else if (state.sort === "adequacy") list.sort(function (a, b) { return adequacyKey(a.row) - adequacyKey(b.row) || pos(a) - pos(b); });
      else list.sort(function (a, b) { return pos(a) - pos(b) || a.n - b.n; });
    });
    if (state.sort === "issues") order.sort(function (a, b) { return groups[b].length - groups[a].length || (a < b ? -1 : 1); });
    else if (state.sort === "severity") order.sort(function (a, b) { return worst(groups[a]) - worst(groups[b]) || groups[b].length - groups[a].length || (a < b ? -1 : 1); });
    else if (state.sort === "score") order.sort(function (a, b) { return rowScore(groups[a][0], R) - rowScore(groups[b][0], R) || (a < b ? -1 : 1); });
    else if (state.sort === "adequacy") order.sort(function (a, b) { return adequacyKey(groups[a][0].row) - adequacyKey(groups[b][0].row) || (a < b ? -1 : 1); });
    else order.sort();
    var items = [];
    order.forEach(function (code) {
      groups[code].forEach(function (i) { shown.walk.push({ n: i.n, at: items.length }); items.push(i); });
    });
    shown.items = items;
    shown.groups = order.map(function (code) { return { code: code, count: groups[code].length, worst: SEV[worst(groups[code])] }; });
    shown.counts = {};
    order.forEach(function (code) { shown.counts[code] = groups[code].length; });
    shown.issues = items.length;
    shown.total = ISSUES_BY_SYS[state.sys].length;
  }
  function rowScore(i, R) {
    var s = i.row ? i.row.score : null;
    if (s === null) return 1e9;
    return R.higher ? s : -s;
  }

  /* Two systems: A (the selected system) and B, bead by bead of A, B's bead found by source line. */
  var PAIRS = {};
  function pairsOf(a, b) {
    var key = a + ":" + b;
    if (PAIRS[key]) return PAIRS[key];
    var A = rowsOf(a), B = rowsOf(b);
    var list = A.list.map(function (ra) {
      var srcs = srcIdx(ra);
      var rb = srcs.length ? B.bySrc[ra.d][srcs[0]] || null : null;
      var doc = DATA.documents[ra.d];
      var ta = texts(doc.targets[A.name] || [], tgtIdx(ra));
      var tb = rb ? texts(doc.targets[B.name] || [], tgtIdx(rb)) : "";
      var delta = ra.score !== null && rb && rb.score !== null ? rb.score - ra.score : null;
      var words = (texts(doc.source, srcs).match(/\S+/g) || []).length;
      return { a: ra, b: rb, pos: ra.pos, ta: ta, tb: tb, same: ta === tb, delta: delta, short: words < DATA.minWords };
    });
    PAIRS[key] = list;
    return list;
  }
  function onlyIn(mine, theirs) {
    var codes = {};
    theirs.forEach(function (i) { codes[i.code] = (codes[i.code] || 0) + 1; });
    return mine.filter(function (i) { if (codes[i.code]) { codes[i.code]--; return false; } return true; });
  }
  function computeCompare(m) {
    var A = rowsOf(state.sys), B = rowsOf(state.cmp);
    if (m) { haystacks(A); haystacks(B); }
    var items = [];
    var better = 0, worse = 0;
    pairsOf(state.sys, state.cmp).forEach(function (p) {
      p.va = p.a.issues.filter(visible);
      p.vb = p.b ? p.b.issues.filter(visible) : [];
      p.onlyA = onlyIn(p.va, p.vb);
      p.onlyB = onlyIn(p.vb, p.va);
      if (state.cmpShow === "differ" && p.same) return;
      if (state.cmpShow === "issues" && !p.onlyA.length && !p.onlyB.length) return;
      if (state.onlyIssues && !p.va.length && !p.vb.length) return;
      if (m && !(m.row(A, p.a) || (p.b && m.row(B, p.b)))) return;
      if (p.delta !== null && p.delta !== 0) { if ((p.delta > 0) === A.higher) better++; else worse++; }
      items.push(p);
    });
    var higher = A.higher ? 1 : -1;
    var key = state.sort;
    if (key === "doc") items.sort(function (x, y) { return x.pos - y.pos; });
    else if (key === "issues") items.sort(function (x, y) { return (y.onlyA.length + y.onlyB.length) - (x.onlyA.length + x.onlyB.length) || x.pos - y.pos; });
    else if (key === "severity") items.sort(function (x, y) { return Math.min(worst(x.onlyA), worst(x.onlyB)) - Math.min(worst(y.onlyA), worst(y.onlyB)) || x.pos - y.pos; });
    else if (key === "adequacy") items.sort(function (x, y) { return Math.min(adequacyKey(x.a), adequacyKey(x.b)) - Math.min(adequacyKey(y.a), adequacyKey(y.b)) || x.pos - y.pos; });
    else {
      // "score": where the two disagree most, by the size of the segment-score difference; one- to
      // four-word segments ("Goals:" against "Objectives:") after the rest, their scores say little
      items.sort(function (x, y) {
        if (x.short !== y.short) return x.short - y.short;
        if (x.delta === null || y.delta === null) return (x.delta === null) - (y.delta === null) || x.pos - y.pos;
        return Math.abs(y.delta) - Math.abs(x.delta) || higher * (x.delta - y.delta) || x.pos - y.pos;
      });
    }
    items.forEach(function (p, k) {
      p.va.forEach(function (i) { shown.walk.push({ n: i.n, at: k }); });
      p.vb.forEach(function (i) { shown.walk.push({ n: i.n, at: k }); });
      shown.issues += p.va.length + p.vb.length;
    });
    shown.items = items;
    shown.total = A.list.length;
    shown.better = better;
    shown.worse = worse;
  }

  /* ---- drawing ---- */
  function chipLabel(i) { return i.code + (i.rule ? " " + i.rule : "") + ": " + i.message; }
  function tooltip(i) { return i.code + (i.rule ? " " + i.rule : "") + " · " + i.severity + ": " + i.message + (i.suggestion ? " → " + i.suggestion : ""); }
  function statusClass(i) { return i.ignored || i.status === "false_positive" ? " ignored" : i.status !== "open" ? " decided" : ""; }

  function highlight(text, issues) {
    var frag = document.createDocumentFragment();
    if (!issues.length) { frag.appendChild(document.createTextNode(text)); return frag; }
    var cuts = [0, text.length];
    issues.forEach(function (i) {
      cuts.push(Math.max(0, Math.min(text.length, i.start)));
      cuts.push(Math.max(0, Math.min(text.length, i.end)));
    });
    cuts = cuts.filter(function (c, k) { return cuts.indexOf(c) === k; }).sort(function (a, b) { return a - b; });
    var points = issues.filter(function (i) { return i.end <= i.start; });
    function pinsAt(pos) {
      points.forEach(function (i) {
        if (Math.min(text.length, Math.max(0, i.start)) === pos) {
          frag.appendChild(el("span", { "class": "pin issue-ref sev-" + i.severity, "data-issues": String(i.n), title: tooltip(i) }, "‸"));
        }
      });
    }
    for (var k = 0; k < cuts.length - 1; k++) {
      var a = cuts[k], b = cuts[k + 1];
      pinsAt(a);
      var piece = text.slice(a, b);
      var covering = issues.filter(function (i) { return i.start <= a && i.end >= b && i.end > i.start; });
      if (!covering.length) { frag.appendChild(document.createTextNode(piece)); continue; }
      covering.sort(function (x, y) { return SEV_RANK[x.severity] - SEV_RANK[y.severity]; });
      var cls = "issue issue-ref sev-" + covering[0].severity + (covering.every(function (i) { return statusClass(i) === " ignored"; }) ? " ignored" : "");
      frag.appendChild(el("mark", { "class": cls, "data-issues": covering.map(function (i) { return i.n; }).join(","), title: covering.map(tooltip).join("\n") }, piece));
    }
    pinsAt(text.length);
    return frag;
  }

  function sideCell(texts_, lines, indices, issues, side) {
    var td = el("td", { "class": side });
    if (!indices.length) { td.appendChild(el("span", { "class": "empty-side" }, side === "target" ? "(nothing: omitted?)" : "(nothing)")); return td; }
    indices.forEach(function (idx) {
      var mine = issues.filter(function (i) { return i.segment === idx; });
      var span = el("span", { "class": "seg", "data-seg": String(idx) });
      span.appendChild(highlight(texts_[idx] || "", mine));
      td.appendChild(span);
    });
    return td;
  }

  function chip(i, extra) {
    var status = i.status !== "open" ? " [" + STATUS_LABEL[i.status] + "]" : "";
    var b = el("button", { type: "button", "class": "chip issue-ref sev-" + i.severity + statusClass(i) + (extra || ""), "data-issues": String(i.n), "data-chip": String(i.n), title: tooltip(i) });
    b.appendChild(el("b", null, i.code));
    b.appendChild(document.createTextNode(" " + (i.rule ? i.rule + ": " : "") + i.message + status));
    return b;
  }

  function lineLink(row, name) {
    var doc = DATA.documents[row.d];
    var tl = tgtIdx(row), sl = srcIdx(row);
    var label = tl.length ? String(lineOf(doc.targetLines[name], tl[0], (doc.targetFrom || {})[name])) : sl.length ? "src " + lineOf(doc.sourceLines, sl[0], doc.sourceFrom) : "–";
    var conf = row.bead ? row.bead[3] : 1;
    return el("a", { href: segHash(row.key), "class": "seglink", "data-seg": row.key,
                     title: "link to this segment (document " + doc.id + "); alignment " + sl.length + "-" + tl.length + ", confidence " + conf,
                     "aria-label": "segment " + row.key + ", line " + label }, label);
  }

  function referenceCell(row) {
    var doc = DATA.documents[row.d];
    var cell = el("td", { "class": "reference" });
    DATA.references.forEach(function (ref) {
      if (!doc.references[ref]) return;
      if (DATA.references.length > 1) cell.appendChild(el("span", { "class": "ref-name" }, ref));
      refIdx(row, ref).forEach(function (idx) { cell.appendChild(el("span", { "class": "seg" }, doc.references[ref][idx] || "")); });
    });
    return cell;
  }

  function fmtScore(s) { return s === null || s === undefined ? "–" : s.toFixed(1); }

  function drawSegments(box, rows) {
    var R = rowsOf(state.sys), name = R.name;
    var table = el("table", { "class": "aligned" });
    var head = el("tr");
    head.appendChild(el("th", { "class": "num", scope: "col", title: "1-based line of the target file" }, "line"));
    head.appendChild(el("th", { scope: "col" }, "source"));
    head.appendChild(el("th", { scope: "col" }, "target: " + name));
    if (DATA.references.length) head.appendChild(el("th", { scope: "col" }, "reference"));
    if (R.metric) head.appendChild(el("th", { "class": "score", scope: "col" }, R.metric));
    if (R.adequacy) head.appendChild(el("th", { "class": "score", scope: "col", title: "A5: similarity of source and target as a z-score; about 0 for faithful translations" }, "adequacy"));
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var tbody = el("tbody");
    var lastDoc = -1;
    rows.forEach(function (row) {
      var doc = DATA.documents[row.d];
      if (MANY_DOCS && row.d !== lastDoc && state.sort === "doc") {
        var hr = el("tr", { "class": "doc-head" });
        hr.appendChild(el("th", { colspan: "5", scope: "rowgroup" }, doc.id + (doc.part ? " (part " + doc.part[0] + " of " + doc.part[1] + ")" : "")));
        tbody.appendChild(hr);
      }
      lastDoc = row.d;
      var tr = el("tr", { id: "seg-" + row.key, "data-doc": String(row.d), "data-bead": String(row.b) });
      if (row.vis.length) tr.classList.add("has-issues");
      if (row.bead && row.bead[3] < 0.5) tr.classList.add("lowconf");
      if (state.seg === row.key) tr.classList.add("targeted");
      var num = el("td", { "class": "num" });
      num.appendChild(lineLink(row, name));
      if (MANY_DOCS && state.sort !== "doc") num.appendChild(el("span", { "class": "docname" }, doc.id));
      tr.appendChild(num);
      tr.appendChild(sideCell(doc.source, doc.sourceLines, srcIdx(row), row.vis.filter(function (i) { return i.side === "source"; }), "source"));
      var target = sideCell(doc.targets[name] || [], doc.targetLines[name], tgtIdx(row), row.vis.filter(function (i) { return i.side !== "source"; }), "target");
      if (row.vis.length) {
        var chips = el("div", { "class": "chips" });
        row.vis.forEach(function (i) { chips.appendChild(chip(i)); });
        target.appendChild(chips);
      }
      tr.appendChild(target);
      if (DATA.references.length) tr.appendChild(referenceCell(row));
      if (R.metric) tr.appendChild(el("td", { "class": "score" }, fmtScore(row.score)));
      if (R.adequacy) tr.appendChild(el("td", { "class": "score adequacy" }, fmtScore(row.adequacy)));
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    box.appendChild(table);
    if (shown.unplaced && shown.unplaced.length && state.page === shown.pages - 1) {
      var other = el("div", { "class": "doc" });
      other.appendChild(el("h3", null, "Issues outside any aligned segment"));
      var chips = el("div", { "class": "chips" });
      shown.unplaced.forEach(function (i) { chips.appendChild(chip(i)); });
      other.appendChild(chips);
      box.appendChild(other);
    }
  }

  function drawIssues(box, items) {
    var R = rowsOf(state.sys);
    var summary = el("table", { "class": "rules" });
    var cap = el("caption", null, "Issues by rule (" + shown.issues + " of " + shown.total + ")");
    summary.appendChild(cap);
    var hr = el("tr");
    ["rule", "name", "issues", "worst", "filter"].forEach(function (h) { hr.appendChild(el("th", { scope: "col" }, h)); });
    var thead = el("thead"); thead.appendChild(hr); summary.appendChild(thead);
    var tb = el("tbody");
    shown.groups.forEach(function (g) {
      var tr = el("tr");
      tr.appendChild(el("td", null, g.code));
      tr.appendChild(el("td", null, DATA.rules[g.code] || ""));
      tr.appendChild(el("td", { "class": "count-cell" }, g.count));
      var w = el("td"); w.appendChild(el("span", { "class": "sev-dot sev-" + g.worst })); w.appendChild(document.createTextNode(g.worst)); tr.appendChild(w);
      var act = el("td");
      act.appendChild(el("button", { type: "button", "class": "only", "data-only": "code", "data-value": g.code, "aria-label": "only this rule, " + g.code }, "only this"));
      tr.appendChild(act);
      tb.appendChild(tr);
    });
    summary.appendChild(tb);
    box.appendChild(summary);

    var list = el("table", { "class": "issue-list" });
    var h = el("tr");
    h.appendChild(el("th", { scope: "col" })).appendChild(el("span", { "class": "sr-only" }, "severity"));
    ["issue", "flagged", "where", R.metric || "score", "decision"].forEach(function (x) { h.appendChild(el("th", { scope: "col" }, x)); });
    var th = el("thead"); th.appendChild(h); list.appendChild(th);
    var body = el("tbody");
    var last = null;
    items.forEach(function (i) {
      if (i.code !== last) {
        var gr = el("tr", { "class": "group" });
        gr.appendChild(el("th", { colspan: "6", scope: "rowgroup" }, i.code + " " + (DATA.rules[i.code] || "") + " (" + shown.counts[i.code] + ")"));
        body.appendChild(gr);
        last = i.code;
      }
      var tr = el("tr", { "class": "issue-row" + statusClass(i), "data-n": String(i.n) });
      var dot = el("td"); dot.appendChild(el("span", { "class": "sev-dot sev-" + i.severity, title: i.severity })); tr.appendChild(dot);
      var what = el("td");
      what.appendChild(chip(i));
      if (i.suggestion) what.appendChild(el("div", { "class": "suggestion" }, "→ " + i.suggestion));
      tr.appendChild(what);
      tr.appendChild(el("td", { "class": "flagged-cell" }, (i.side === "source" ? "source: " : "") + i.text));
      var where = el("td", { "class": "where" });
      if (i.row) {
        var a = el("a", { href: segHash(i.row.key), "class": "seglink", "data-seg": i.row.key, title: "show this segment side by side" }, i.where);
        where.appendChild(a);
      } else where.textContent = i.where;
      tr.appendChild(where);
      tr.appendChild(el("td", { "class": "score" }, fmtScore(i.row ? i.row.score : null)));
      tr.appendChild(el("td", { "class": "status-cell" }, STATUS_LABEL[i.status] + (i.comment ? ": " + i.comment : "")));
      body.appendChild(tr);
    });
    list.appendChild(body);
    box.appendChild(list);
  }

  /* Words of one output that the other lacks (longest common subsequence of words). */
  function diffWords(a, b) {
    var wa = a.match(/\S+/g) || [], wb = b.match(/\S+/g) || [];
    var n = wa.length, m = wb.length;
    if (n * m > 250000) return null;
    var w = m + 1, dp = new Uint16Array((n + 1) * w);
    for (var i = n - 1; i >= 0; i--) {
      for (var j = m - 1; j >= 0; j--) dp[i * w + j] = wa[i] === wb[j] ? dp[(i + 1) * w + j + 1] + 1 : Math.max(dp[(i + 1) * w + j], dp[i * w + j + 1]);
    }
    var da = [], db = [];
    i = 0; j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && wa[i] === wb[j]) { da.push(false); db.push(false); i++; j++; }
      else if (j >= m || (i < n && dp[(i + 1) * w + j] >= dp[i * w + j + 1])) { da.push(true); i++; }
      else { db.push(true); j++; }
    }
    return [da, db];
  }
  function diffText(text, flags) {
    var frag = document.createDocumentFragment();
    if (!flags) { frag.appendChild(document.createTextNode(text)); return frag; }
    var k = 0, run = null, space = "";
    text.split(/(\s+)/).forEach(function (p) {
      if (!p) return;
      if (/^\s+$/.test(p)) { space += p; return; }
      if (flags[k++]) {
        if (run) run.appendChild(document.createTextNode(space));
        else { if (space) frag.appendChild(document.createTextNode(space)); run = el("span", { "class": "diff" }); frag.appendChild(run); }
        run.appendChild(document.createTextNode(p));
      } else {
        frag.appendChild(document.createTextNode(space + p));
        run = null;
      }
      space = "";
    });
    if (space) frag.appendChild(document.createTextNode(space));
    return frag;
  }

  function drawCompare(box, items) {
    var A = rowsOf(state.sys), B = rowsOf(state.cmp);
    var table = el("table", { "class": "aligned compare" });
    var head = el("tr");
    head.appendChild(el("th", { "class": "num", scope: "col" }, "line"));
    head.appendChild(el("th", { scope: "col" }, "source"));
    head.appendChild(el("th", { scope: "col" }, "A: " + A.name));
    head.appendChild(el("th", { scope: "col" }, "B: " + B.name));
    head.appendChild(el("th", { "class": "score wide", scope: "col" }, (A.metric || "score") + " A / B / Δ"));
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var tbody = el("tbody");
    items.forEach(function (p) {
      var doc = DATA.documents[p.a.d];
      var tr = el("tr", { id: "seg-" + p.a.key, "class": p.same ? "same" : "differs" });
      if (state.seg === p.a.key) tr.classList.add("targeted");
      var num = el("td", { "class": "num" }); num.appendChild(lineLink(p.a, A.name)); tr.appendChild(num);
      tr.appendChild(el("td", { "class": "source" }, texts(doc.source, srcIdx(p.a))));
      var flags = p.same ? null : diffWords(p.ta, p.tb);
      [[p.ta, p.va, p.onlyA, flags && flags[0], "a"], [p.tb, p.vb, p.onlyB, flags && flags[1], "b"]].forEach(function (side) {
        var td = el("td", { "class": "target side-" + side[4] });
        td.appendChild(diffText(side[0], side[3]));
        if (side[1].length) {
          var chips = el("div", { "class": "chips" });
          side[1].forEach(function (i) { chips.appendChild(chip(i, side[2].indexOf(i) >= 0 ? " only-here" : " shared")); });
          td.appendChild(chips);
        }
        tr.appendChild(td);
      });
      var sc = el("td", { "class": "score wide" });
      sc.appendChild(document.createTextNode(fmtScore(p.a.score) + " / " + fmtScore(p.b ? p.b.score : null) + " / "));
      var good = p.delta !== null && p.delta !== 0 && (p.delta > 0) === A.higher;
      sc.appendChild(el("b", { "class": p.delta === null || p.delta === 0 ? "" : good ? "delta-b-better" : "delta-a-better" },
                        p.delta === null ? "–" : (p.delta > 0 ? "+" : "") + p.delta.toFixed(1)));
      tr.appendChild(sc);
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    box.appendChild(table);
  }

  function drawPager(nav) {
    nav.textContent = "";
    if (shown.pages <= 1) { nav.hidden = true; return; }
    nav.hidden = false;
    var size = PAGE_SIZE[state.view], first = state.page * size;
    function btn(label, page, step) {
      var b = el("button", { type: "button", "class": "page-btn", "data-page": String(page), "data-step": step }, label);
      b.disabled = page < 0 || page >= shown.pages || page === state.page;
      nav.appendChild(b);
    }
    btn("« first", 0, "first");
    btn("‹ previous", state.page - 1, "previous");
    nav.appendChild(el("span", { "class": "page-of" }, "page " + (state.page + 1) + " of " + shown.pages + " (" + (first + 1) + "–" + Math.min(first + size, shown.items.length) + " of " + shown.items.length + ")"));
    btn("next ›", state.page + 1, "next");
    btn("last »", shown.pages - 1, "last");
  }

  function statusLine() {
    if (shown.error) return "Search: " + shown.error + ".";
    var what = state.view === "issues" ? "Showing " + shown.items.length + " of " + shown.total + " issues" :
      "Showing " + shown.items.length + " of " + shown.total + " segments and " + shown.issues + " of " + ISSUES_BY_SYS[state.sys].length + " issues";
    if (state.view === "cmp") {
      var B = rowsOf(state.cmp);
      what = "Showing " + shown.items.length + " of " + shown.total + " segments; " + B.name + " scores better in " + shown.better + " and worse in " + shown.worse + " of them than " + rowsOf(state.sys).name;
    }
    if (state.view !== "issues" && !rowsOf(state.sys).list.length && ISSUES_BY_SYS[state.sys].length) {
      what += " (this results file keeps no segment texts, as for a job over output.max_inline_segments: the issues are listed without them)";
    }
    var part = DATA.part ? " on page " + (DATA.part.index + 1) + " of " + DATA.part.count + " of this report" : "";
    return what + (state.q ? " matching “" + state.q + "”" : "") + part + ".";
  }

  function draw() {
    if (state.page >= shown.pages) state.page = shown.pages - 1;
    if (state.page < 0) state.page = 0;
    var box = $("document");
    var size = PAGE_SIZE[state.view];
    var page = shown.items.slice(state.page * size, (state.page + 1) * size);
    var frag = document.createDocumentFragment();
    if (state.view === "issues") drawIssues(frag, page);
    else if (state.view === "cmp") drawCompare(frag, page);
    else drawSegments(frag, page);
    box.textContent = "";
    box.appendChild(frag);
    drawPager($("pager-top"));
    drawPager($("pager-bottom"));
    $("status").textContent = statusLine();
    markActive();
  }

  function markActive() {
    Array.prototype.forEach.call(document.querySelectorAll("#document .active"), function (m) { m.classList.remove("active"); });
    if (state.issue === null) return;
    Array.prototype.forEach.call(document.querySelectorAll("#document [data-issues]"), function (m) {
      if (m.getAttribute("data-issues").split(",").indexOf(String(state.issue)) >= 0) m.classList.add("active");
    });
  }

  /* ---- filters: every group has all / none, and "only this" beside each value ---- */
  function buildFilters() {
    var issues = ISSUES_BY_SYS[state.sys];
    if (state.view === "cmp") issues = issues.concat(ISSUES_BY_SYS[state.cmp]);
    var counts = { severity: {}, category: {}, code: {}, status: {} };
    issues.forEach(function (i) {
      FILTERS.forEach(function (k) { counts[k][i[k]] = (counts[k][i[k]] || 0) + 1; });
    });
    var values = {
      severity: SEV,
      category: Object.keys(counts.category).sort(),
      code: Object.keys(counts.code).sort(),
      status: STATUSES
    };
    var labels = { code: function (c) { return DATA.rules[c] ? c + " " + DATA.rules[c] : c; }, status: function (s) { return STATUS_LABEL[s]; } };
    FILTERS.forEach(function (key) { buildFilterGroup(key, values[key], counts[key], labels[key]); });
  }
  function buildFilterGroup(key, values, counts, label) {
    var box = $("f-" + key);
    box.textContent = "";
    var bar = el("div", { "class": "all-none" });
    bar.appendChild(el("button", { type: "button", "data-all": key, "aria-label": "all " + GROUP_NAME[key] }, "all"));
    bar.appendChild(el("button", { type: "button", "data-none": key, "aria-label": "none of the " + GROUP_NAME[key] }, "none"));
    box.appendChild(bar);
    values.forEach(function (v) {
      var text = label ? label(v) : v;
      var row = el("div", { "class": "fv" });
      var lab = el("label");
      var input = el("input", { type: "checkbox", "data-filter": key, value: v });
      input.checked = inSet(key, v);
      lab.appendChild(input);
      lab.appendChild(document.createTextNode(" " + text + " "));
      lab.appendChild(el("span", { "class": "count" }, "(" + (counts[v] || 0) + ")"));
      row.appendChild(lab);
      row.appendChild(el("button", { type: "button", "class": "only", "data-only": key, "data-value": v, "aria-label": "only " + text }, "only"));
      box.appendChild(row);
    });
    if (!values.length) box.appendChild(el("span", { "class": "count" }, "none"));
  }
  function syncFilterInputs() {
    Array.prototype.forEach.call(document.querySelectorAll("#filters input[data-filter]"), function (input) {
      input.checked = inSet(input.getAttribute("data-filter"), input.value);
    });
    $("only-issues").checked = state.onlyIssues;
    $("show-ignored").checked = state.showIgnored;
  }

  /* ---- the URL hash holds the whole view ---- */
  function hashOf() {
    var p = [];
    if (state.view !== "seg") p.push("v=" + state.view);
    p.push("s=" + state.sys);
    if (state.view === "cmp") { p.push("b=" + state.cmp); if (state.cmpShow !== "all") p.push("show=" + state.cmpShow); }
    FILTERS.forEach(function (k) {
      var f = state.f[k];
      if (f) p.push((f.inc ? "" : "x") + HASH_KEY[k] + "=" + Array.from(f.set).map(encodeURIComponent).join(","));
    });
    if (state.q) p.push("q=" + encodeURIComponent(state.q));
    if (state.sort !== "doc") p.push("sort=" + state.sort);
    if (state.onlyIssues) p.push("oi=1");
    if (state.showIgnored) p.push("ig=1");
    if (state.page) p.push("pg=" + (state.page + 1));
    if (state.seg) p.push("seg=" + state.seg);
    if (state.issue !== null) p.push("i=" + state.issue);
    return "#" + p.join("&");
  }
  /* The link to a segment in the side-by-side view, keeping the filters, search and sort. */
  function segHash(key) {
    var saved = [state.view, state.seg, state.page, state.issue];
    state.view = "seg"; state.seg = key; state.page = 0; state.issue = null;
    var h = hashOf();
    state.view = saved[0]; state.seg = saved[1]; state.page = saved[2]; state.issue = saved[3];
    return h;
  }
  function writeHash() {
    var h = hashOf();
    if (location.hash !== h) history.replaceState(null, "", h);
  }
  function readHash(hash) {
    var params = {};
    hash.replace(/^#/, "").split("&").forEach(function (part) {
      var at = part.indexOf("=");
      if (at > 0) params[part.slice(0, at)] = part.slice(at + 1);
    });
    var next = defaults();
    var dec = function (x) { try { return decodeURIComponent(x); } catch (e) { return x; } };
    var s = parseInt(params.s, 10);
    if (s >= 0 && s < SYSTEMS.length) next.sys = s;
    var b = parseInt(params.b, 10);
    if (b >= 0 && b < SYSTEMS.length) next.cmp = b;
    if (next.cmp === next.sys && SYSTEMS.length > 1) next.cmp = next.sys === 0 ? 1 : 0;
    if (params.v === "issues" || (params.v === "cmp" && SYSTEMS.length > 1)) next.view = params.v;
    if (/^(all|differ|issues)$/.test(params.show || "")) next.cmpShow = params.show;
    FILTERS.forEach(function (k) {
      [true, false].forEach(function (inc) {
        var name = (inc ? "" : "x") + HASH_KEY[k];
        if (name in params) next.f[k] = { inc: inc, set: new Set(params[name] ? params[name].split(",").map(dec) : []) };
      });
    });
    if (params.q) next.q = dec(params.q);
    if (/^(doc|score|issues|severity)$/.test(params.sort || "")) next.sort = params.sort;
    next.onlyIssues = params.oi === "1";
    next.showIgnored = params.ig === "1";
    var pg = parseInt(params.pg, 10);
    if (pg > 0) next.page = pg - 1;
    if (/^\d+-\d+$/.test(params.seg || "")) next.seg = params.seg;
    var i = parseInt(params.i, 10);
    if (BY_N[i]) next.issue = i;
    return { state: next, explicitPage: pg > 0 };
  }

  /* ---- putting it together ---- */
  function syncControls() {
    $("system-select").value = String(state.sys);
    $("compare-select").value = String(state.cmp);
    $("compare-show").value = state.cmpShow;
    $("sort").value = state.sort;
    if ($("search").value !== state.q) $("search").value = state.q;
    Array.prototype.forEach.call(document.querySelectorAll(".view-btn"), function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-view") === state.view ? "true" : "false");
    });
    document.querySelector(".compare-with").hidden = state.view !== "cmp";
    $("sort").options[1].textContent = state.view === "cmp" ? "score difference, largest first (" + DATA.minWords + "+ words)" : "segment score, lowest first";
    Array.prototype.forEach.call(document.querySelectorAll("section.summary"), function (sec) {
      sec.hidden = sec.getAttribute("data-system") !== String(state.sys);
    });
  }

  function update(opts) {
    opts = opts || {};
    if (opts.resetPage) state.page = 0;
    if (opts.filters) buildFilters();
    syncControls();
    syncFilterInputs();
    compute();
    if (opts.pageOfSeg && state.seg) {
      var at = -1;
      for (var k = 0; k < shown.items.length; k++) {
        var item = shown.items[k];
        if ((item.key || (item.a && item.a.key)) === state.seg) { at = k; break; }
      }
      if (at >= 0) state.page = Math.floor(at / PAGE_SIZE[state.view]);
    }
    draw();
    writeHash();
  }

  function applyHash() {
    var parsed = readHash(location.hash);
    var next = parsed.state;
    var segRow = next.seg ? rowsOf(next.sys).byKey[next.seg] : null;
    if (segRow && next.onlyIssues && !segRow.issues.length) next.onlyIssues = false;
    var systemChanged = next.sys !== state.sys || next.view !== state.view || next.cmp !== state.cmp;
    state = next;
    update({ filters: true, pageOfSeg: !parsed.explicitPage || systemChanged });
    if (state.seg) {
      var row = $("seg-" + state.seg);
      if (row) row.scrollIntoView({ block: "center" });
    }
  }

  /* ---- issue walk (j/k, n/p), details (Enter), Escape ---- */
  function focusIssue(n) {
    var node = document.querySelector('#document [data-chip="' + n + '"]');
    if (node) {
      node.focus({ preventScroll: true });
      node.scrollIntoView({ block: "nearest" });
    }
  }
  function step(delta) {
    if (!shown.walk.length) return;
    var at = -1;
    for (var k = 0; k < shown.walk.length; k++) if (shown.walk[k].n === state.issue) { at = k; break; }
    var next;
    if (at < 0) {
      // from the top of the page shown (or its end, going back)
      var size = PAGE_SIZE[state.view], first = state.page * size;
      next = delta > 0 ? shown.walk.filter(function (w) { return w.at >= first; })[0] : shown.walk.filter(function (w) { return w.at < first + size; }).pop();
      next = next || shown.walk[delta > 0 ? 0 : shown.walk.length - 1];
    } else {
      next = shown.walk[Math.max(0, Math.min(shown.walk.length - 1, at + delta))];
    }
    state.issue = next.n;
    var page = shown.pageOf[next.n];
    var item = shown.items[next.at];
    state.seg = item ? item.key || (item.a && item.a.key) || (item.row && item.row.key) || null : null;
    if (page !== state.page) { state.page = page; draw(); } else markActive();
    writeHash();
    focusIssue(next.n);
    if (!$("details").hidden) showDetails([next.n], false);
  }

  var lastFocus = null;
  function showDetails(numbers, focusPanel) {
    var body = $("details-body");
    body.textContent = "";
    numbers.forEach(function (n) {
      var i = BY_N[n];
      if (!i) return;
      var box = el("div", { "class": "detail", "data-n": String(n) });
      var head = el("div", { "class": "head" });
      head.appendChild(el("span", { "class": "sev-dot sev-" + i.severity }));
      head.appendChild(document.createTextNode(i.code + (i.rule ? " " + i.rule : "") + " · " + i.severity + " · " + i.category + (i.ignored ? " · ignored" : "")));
      box.appendChild(head);
      var flagged = el("div");
      flagged.appendChild(document.createTextNode((i.side === "source" ? "source" : "target") + " (" + i.system + "): "));
      flagged.appendChild(el("span", { "class": "flagged" }, i.text));
      box.appendChild(flagged);
      box.appendChild(el("div", { "class": "fp" }, "at " + i.where));
      box.appendChild(el("div", { "class": "message" }, i.message));
      if (i.suggestion) box.appendChild(el("div", { "class": "suggestion" }, "suggestion: " + i.suggestion));
      if (i.ignored && i.reason) box.appendChild(el("div", { "class": "fp" }, "ignored: " + i.reason));
      box.appendChild(el("div", { "class": "fp" }, "fingerprint " + i.fingerprint));
      box.appendChild(decisionControls(i));
      body.appendChild(box);
    });
    var panel = $("details");
    if (panel.hidden) lastFocus = document.activeElement;
    panel.hidden = false;
    if (focusPanel) {
      var first = body.querySelector("button.decide-btn");
      if (first) first.focus();
    }
  }
  function decisionControls(i) {
    var group = el("div", { "class": "decide", role: "group", "aria-label": "decision on " + i.code + " issue " + i.n });
    group.appendChild(el("div", { "class": "status-now" }, "decision: " + STATUS_LABEL[i.status] + (decisions[i.fingerprint] ? " (this page)" : "")));
    var id = "comment-" + i.n;
    group.appendChild(el("label", { "for": id }, "reason / comment"));
    var input = el("input", { type: "text", id: id, "class": "comment", value: i.comment || "" });
    group.appendChild(input);
    var bar = el("div", { "class": "decide-bar" });
    [["confirmed", "Confirmed"], ["false_positive", "False positive"], ["fixed", "Fixed"], ["open", "Open"]].forEach(function (d) {
      var b = el("button", { type: "button", "class": "decide-btn", "data-decide": d[0], "data-n": String(i.n), "aria-pressed": i.status === d[0] ? "true" : "false" }, d[1]);
      bar.appendChild(b);
    });
    group.appendChild(bar);
    return group;
  }
  function closeDetails() {
    $("details").hidden = true;
    if (lastFocus && document.body.contains(lastFocus)) lastFocus.focus();
    else if (state.issue !== null) focusIssue(state.issue);
  }

  /* ---- exports: files made in the page (Blob + a[download]), no network ---- */
  function download(name, text, type) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = el("a", { href: url, download: name });
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }
  /* Every decision: the issues on this page not open (or reopened here), and those decided on other
     pages of the report (kept in localStorage with their code, text, system and place). */
  function decided() {
    var seen = {}, out = [];
    ISSUES.forEach(function (i) {
      if (seen[i.fingerprint]) return;
      if (i.status === "open" && !decisions[i.fingerprint]) return;
      seen[i.fingerprint] = true;
      out.push(i);
    });
    Object.keys(decisions).forEach(function (fp) {
      var d = decisions[fp];
      if (seen[fp] || !d.code) return;
      out.push({ fingerprint: fp, status: d.status, comment: d.comment, code: d.code, text: d.text, system: d.system, where: d.location });
    });
    return out;
  }
  function exportDecisions() {
    var doc = {
      mtqa_decisions: 1,
      results: { created: DATA.created || null, systems: SYSTEMS.slice() },
      decisions: decided().map(function (i) {
        return { fingerprint: i.fingerprint, status: i.status, comment: i.comment || "", code: i.code, text: i.text, system: i.system, location: i.where };
      })
    };
    download("mtqa-decisions.json", JSON.stringify(doc, null, 2) + "\n", "application/json");
  }
  function yamlString(s) {
    return JSON.stringify(String(s)).replace(/[\u0085\u2028\u2029]/g, function (c) { return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"); });
  }
  function exportIgnore() {
    var lines = ["# mtqa ignore entries: the issues marked \"false positive\" in the HTML report.",
                 "# Append the entries to your .mtqa-ignore, or pass this file to mtqa run, report or gate with --ignore-file.", "ignore:"];
    var fps = decided().filter(function (i) { return i.status === "false_positive"; });
    fps.forEach(function (i) {
      lines.push("  - fingerprint: " + yamlString(i.fingerprint));
      if (i.comment) lines.push("    reason: " + yamlString(i.comment));
      lines.push("    code: " + yamlString(i.code));
      lines.push("    text: " + yamlString(i.text));
    });
    if (!fps.length) lines[2] = "ignore: []";
    download("mtqa-ignore.yaml", lines.join("\n") + "\n", "application/yaml");  // browsers drop a leading dot
  }

  /* ---- events ---- */
  function on(id, type, fn) { $(id).addEventListener(type, fn); }
  on("system-select", "change", function (e) {
    state.sys = parseInt(e.target.value, 10);
    if (state.cmp === state.sys) state.cmp = state.sys === 0 ? 1 : 0;
    state.seg = null; state.issue = null;
    update({ filters: true, resetPage: true });
  });
  on("compare-select", "change", function (e) {
    var b = parseInt(e.target.value, 10);
    if (b === state.sys) { state.sys = state.cmp; }
    state.cmp = b;
    state.issue = null;
    update({ filters: true, resetPage: true });
  });
  on("compare-show", "change", function (e) { state.cmpShow = e.target.value; update({ resetPage: true }); });
  on("sort", "change", function (e) { state.sort = e.target.value; update({ resetPage: true }); });
  on("search", "input", function (e) { state.q = e.target.value; update({ resetPage: true }); });
  Array.prototype.forEach.call(document.querySelectorAll(".view-btn"), function (b) {
    b.addEventListener("click", function () {
      state.view = b.getAttribute("data-view");
      if (state.view === "cmp" && state.sort === "doc") state.sort = "score";
      update({ filters: true, resetPage: true, pageOfSeg: true });
    });
  });
  on("filters", "submit", function (e) { e.preventDefault(); });
  on("to-review", "click", function () { $("workbench").scrollIntoView({ block: "start" }); $("search").focus({ preventScroll: true }); });
  on("filters", "change", function (e) {
    var t = e.target;
    if (t.id === "only-issues") state.onlyIssues = t.checked;
    else if (t.id === "show-ignored") state.showIgnored = t.checked;
    else if (t.hasAttribute("data-filter")) {
      var key = t.getAttribute("data-filter");
      var f = state.f[key] || { inc: false, set: new Set() };
      if (t.checked === f.inc) f.set.add(t.value); else f.set.delete(t.value);
      state.f[key] = !f.inc && !f.set.size ? null : f;
    }
    update({ resetPage: true });
  });
  function onFilterButton(t) {
    if (t.hasAttribute("data-all")) state.f[t.getAttribute("data-all")] = null;
    else if (t.hasAttribute("data-none")) state.f[t.getAttribute("data-none")] = { inc: true, set: new Set() };
    else {
      state.f[t.getAttribute("data-only")] = { inc: true, set: new Set([t.getAttribute("data-value")]) };
      if (state.view === "seg") state.onlyIssues = true;
    }
    update({ resetPage: true });
  }
  on("workbench", "click", function (e) {
    var t = e.target.closest ? e.target.closest("button, a, .issue-ref") : null;
    if (!t) return;
    if (t.hasAttribute("data-all") || t.hasAttribute("data-none") || t.hasAttribute("data-only")) { onFilterButton(t); return; }
    if (t.hasAttribute("data-page")) { state.page = parseInt(t.getAttribute("data-page"), 10); update(); $("workbench").scrollIntoView({ block: "start" }); return; }
    if (t.id === "export-decisions") { exportDecisions(); return; }
    if (t.id === "export-ignore") { exportIgnore(); return; }
    if (t.classList.contains("issue-ref")) {
      var numbers = t.getAttribute("data-issues").split(",").map(function (x) { return parseInt(x, 10); });
      state.issue = numbers[0];
      writeHash();
      markActive();
      showDetails(numbers, e.detail === 0);  // from the keyboard (Enter on a chip): focus moves into the details
    }
  });
  on("details", "click", function (e) {
    var t = e.target.closest ? e.target.closest("button") : null;
    if (!t) return;
    if (t.id === "details-close") { closeDetails(); return; }
    if (!t.hasAttribute("data-decide")) return;
    var n = parseInt(t.getAttribute("data-n"), 10);
    var comment = $("comment-" + n).value.trim();
    decide(n, t.getAttribute("data-decide"), comment);
    var numbers = Array.prototype.map.call($("details-body").querySelectorAll(".detail"), function (d) { return parseInt(d.getAttribute("data-n"), 10); });
    buildFilters();
    compute();
    draw();
    showDetails(numbers, false);
    var again = $("details-body").querySelector('button[data-n="' + n + '"][data-decide="' + t.getAttribute("data-decide") + '"]');
    if (again) again.focus();
  });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var tag = (e.target.tagName || "").toLowerCase();
    var typing = tag === "input" || tag === "textarea" || tag === "select" || e.target.isContentEditable;
    if (e.key === "Escape") {
      if (!$("details").hidden) { e.preventDefault(); closeDetails(); }
      else if (typing && e.target.id === "search") e.target.blur();
      return;
    }
    if (typing) return;
    if (e.key === "j" || e.key === "n") { e.preventDefault(); step(1); }
    else if (e.key === "k" || e.key === "p") { e.preventDefault(); step(-1); }
    else if (e.key === "/") { e.preventDefault(); $("search").focus(); }
    else if (e.key === "Enter" && state.issue !== null && !(e.target.closest && e.target.closest("button, a"))) {
      e.preventDefault();
      showDetails([state.issue], true);
    }
  });
  window.addEventListener("hashchange", applyHash);

  if (SYSTEMS.length < 2) document.querySelector(".system-picker").hidden = true;
  applyHash();
  document.documentElement.setAttribute("data-ready", "1");
  if (window.performance && performance.mark) performance.mark("mtqa-interactive");
  // the first search need not build the search texts: build them while the reviewer reads
  var idle = window.requestIdleCallback || function (fn) { return setTimeout(fn, 200); };
  idle(function () { haystacks(rowsOf(state.sys)); });
})();
