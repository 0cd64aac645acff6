/* mtqa report: draws the aligned document from the JSON payload; text only ever via textContent. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("mtqa-data").textContent);
  var SEVERITIES = DATA.severities;
  var state = { system: 0, severity: {}, category: {}, code: {}, onlyIssues: false, showIgnored: false, targeted: null };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
      });
    }
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function systemName() { return DATA.systems[state.system]; }
  function systemIssues() {
    var name = systemName();
    return DATA.issues.filter(function (i) { return i.system === name; });
  }
  function rank(sev) { var r = SEVERITIES.indexOf(sev); return r < 0 ? 99 : r; }

  function visible(issue) {
    if (issue.ignored && !state.showIgnored) return false;
    return state.severity[issue.severity] !== false && state.category[issue.category] !== false && state.code[issue.code] !== false;
  }

  /* ---- filters ---- */
  function buildFilterGroup(containerId, key, values, counts, label) {
    var box = document.getElementById(containerId);
    box.textContent = "";
    values.forEach(function (v) {
      var lab = el("label");
      var input = el("input", { type: "checkbox", "data-filter": key, value: v });
      input.checked = state[key][v] !== false;
      input.addEventListener("change", function () {
        state[key][v] = input.checked;
        render();
      });
      lab.appendChild(input);
      lab.appendChild(document.createTextNode(" " + (label ? label(v) : v) + " "));
      lab.appendChild(el("span", { "class": "count" }, "(" + (counts[v] || 0) + ")"));
      box.appendChild(lab);
    });
    if (!values.length) box.appendChild(el("span", { "class": "count" }, "none"));
  }

  function buildFilters() {
    var issues = systemIssues();
    var sev = {}, cat = {}, code = {}, names = {};
    issues.forEach(function (i) {
      sev[i.severity] = (sev[i.severity] || 0) + 1;
      cat[i.category] = (cat[i.category] || 0) + 1;
      code[i.code] = (code[i.code] || 0) + 1;
      names[i.code] = i.rule;
    });
    buildFilterGroup("f-severity", "severity", SEVERITIES, sev);
    buildFilterGroup("f-category", "category", Object.keys(cat).sort(), cat);
    buildFilterGroup("f-code", "code", Object.keys(code).sort(), code, function (c) { return names[c] ? c + " " + names[c] : c; });
  }

  /* ---- highlighting ---- */
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
          var pin = el("span", { "class": "pin issue-ref sev-" + i.severity, "data-issues": String(i.n), title: i.code + " " + i.severity + ": " + i.message }, "‸");
          frag.appendChild(pin);
        }
      });
    }
    for (var k = 0; k < cuts.length - 1; k++) {
      var a = cuts[k], b = cuts[k + 1];
      pinsAt(a);
      var piece = text.slice(a, b);
      var covering = issues.filter(function (i) { return i.start <= a && i.end >= b && i.end > i.start; });
      if (!covering.length) { frag.appendChild(document.createTextNode(piece)); continue; }
      covering.sort(function (x, y) { return rank(x.severity) - rank(y.severity); });
      var top = covering[0];
      var cls = "issue issue-ref sev-" + top.severity + (covering.every(function (i) { return i.ignored; }) ? " ignored" : "");
      var mark = el("mark", {
        "class": cls,
        "data-issues": covering.map(function (i) { return i.n; }).join(","),
        title: covering.map(function (i) { return i.code + " " + i.severity + ": " + i.message + (i.suggestion ? " → " + i.suggestion : ""); }).join("\n")
      }, piece);
      frag.appendChild(mark);
    }
    pinsAt(text.length);
    return frag;
  }

  function sideCell(texts, indices, issues, side) {
    var td = el("td", { "class": side });
    if (!indices.length) { td.appendChild(el("span", { "class": "empty-side" }, side === "target" ? "(nothing: omitted?)" : "(nothing)")); return td; }
    indices.forEach(function (idx) {
      var mine = issues.filter(function (i) { return i.segment === idx; });
      var span = el("span", { "class": "seg", "data-seg": String(idx) });
      span.appendChild(highlight(texts[idx] || "", mine));
      td.appendChild(span);
    });
    return td;
  }

  /* ---- the aligned document ---- */
  function render() {
    var name = systemName();
    var container = document.getElementById("document");
    container.textContent = "";
    var byBead = {};
    var unplaced = [];
    var shownIssues = 0;
    systemIssues().forEach(function (i) {
      if (!visible(i)) return;
      if (i.bead === null || i.bead === undefined) { unplaced.push(i); return; }
      var key = i.doc + ":" + i.bead;
      (byBead[key] = byBead[key] || []).push(i);
    });
    var scores = DATA.unitScores[name];
    var shownRows = 0, totalRows = 0;
    DATA.documents.forEach(function (doc, d) {
      var beads = (DATA.beads[name] || [])[d] || [];
      var section = el("div", { "class": "doc" });
      section.appendChild(el("h3", null, doc.id));
      var table = el("table", { "class": "aligned" });
      var head = el("tr");
      head.appendChild(el("th", { "class": "num", title: "1-based line of the target file (the anchor #seg=D-B counts documents and segments from 0)" }, "line"));
      head.appendChild(el("th", null, "source"));
      head.appendChild(el("th", null, "target: " + name));
      if (DATA.references.length) head.appendChild(el("th", null, "reference"));
      if (scores) head.appendChild(el("th", { "class": "score" }, scores.metric));
      var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
      var tbody = el("tbody");
      beads.forEach(function (bead, b) {
        totalRows++;
        var issues = byBead[d + ":" + b] || [];
        if (state.onlyIssues && !issues.length) return;
        shownRows++;
        shownIssues += issues.length;
        var rowId = "seg-" + d + "-" + b;
        var tr = el("tr", { id: rowId, "data-doc": String(d), "data-bead": String(b) });
        if (issues.length) tr.classList.add("has-issues");
        if (bead[3] < 0.5) tr.classList.add("lowconf");
        if (state.targeted === d + "-" + b) tr.classList.add("targeted");
        var num = el("td", { "class": "num" });
        var lines = bead[1].map(function (t) { return (doc.targetLines[name] || [])[t]; }).filter(function (x) { return x; });
        var srcLines = bead[0].map(function (t) { return (doc.sourceLines || [])[t]; }).filter(function (x) { return x; });
        var label = lines.length ? String(lines[0]) : srcLines.length ? "src " + srcLines[0] : "–";
        num.appendChild(el("a", { href: "#s=" + state.system + "&seg=" + d + "-" + b, title: "link to this segment (" + (lines.length ? "target line " + lines[0] : srcLines.length ? "nothing in the target; source line " + srcLines[0] : "no line") + "); alignment " + bead[0].length + "-" + bead[1].length + ", confidence " + bead[3] }, label));
        tr.appendChild(num);
        tr.appendChild(sideCell(doc.source, bead[0], issues.filter(function (i) { return i.side === "source"; }), "source"));
        var target = sideCell(doc.targets[name] || [], bead[1], issues.filter(function (i) { return i.side !== "source"; }), "target");
        if (issues.length) {
          var chips = el("div", { "class": "chips" });
          issues.forEach(function (i) {
            chips.appendChild(el("span", { "class": "chip issue-ref sev-" + i.severity + (i.ignored ? " ignored" : ""), "data-issues": String(i.n), title: i.message }, i.code + " " + i.severity));
          });
          target.appendChild(chips);
        }
        tr.appendChild(target);
        if (DATA.references.length) {
          var refCell = el("td", { "class": "reference" });
          Object.keys(bead[2]).forEach(function (refName) {
            var texts = doc.references[refName] || [];
            if (DATA.references.length > 1) refCell.appendChild(el("span", { "class": "ref-name" }, refName));
            bead[2][refName].forEach(function (idx) { refCell.appendChild(el("span", { "class": "seg" }, texts[idx] || "")); });
          });
          tr.appendChild(refCell);
        }
        if (scores) {
          var s = (scores.scores[d] || [])[b];
          tr.appendChild(el("td", { "class": "score" }, s === null || s === undefined ? "–" : s.toFixed(1)));
        }
        tbody.appendChild(tr);
      });
      table.appendChild(tbody);
      section.appendChild(table);
      container.appendChild(section);
    });
    if (unplaced.length) {
      var other = el("div", { "class": "doc" });
      other.appendChild(el("h3", null, "Issues outside any aligned segment"));
      var chips = el("div", { "class": "chips" });
      unplaced.forEach(function (i) {
        chips.appendChild(el("span", { "class": "chip issue-ref sev-" + i.severity, "data-issues": String(i.n) }, i.code + " " + i.text));
      });
      other.appendChild(chips);
      shownIssues += unplaced.length;
      container.appendChild(other);
    }
    document.getElementById("status").textContent =
      "Showing " + shownRows + " of " + totalRows + " segments and " + shownIssues + " of " + systemIssues().length + " issues.";
  }

  /* ---- issue details ---- */
  function showDetails(numbers, anchor) {
    var body = document.getElementById("details-body");
    body.textContent = "";
    numbers.forEach(function (n) {
      var i = DATA.issues.filter(function (x) { return x.n === n; })[0];
      if (!i) return;
      var box = el("div", { "class": "detail" });
      var head = el("div", { "class": "head" });
      head.appendChild(el("span", { "class": "sev-dot sev-" + i.severity }));
      head.appendChild(document.createTextNode(i.code + (i.rule ? " " + i.rule : "") + " · " + i.severity + " · " + i.category + (i.ignored ? " · ignored" : "")));
      box.appendChild(head);
      var flagged = el("div");
      flagged.appendChild(document.createTextNode((i.side === "source" ? "source" : "target") + ": "));
      flagged.appendChild(el("span", { "class": "flagged" }, i.text));
      box.appendChild(flagged);
      box.appendChild(el("div", { "class": "fp" }, "at " + i.where));
      box.appendChild(el("div", { "class": "message" }, i.message));
      if (i.suggestion) box.appendChild(el("div", { "class": "suggestion" }, "suggestion: " + i.suggestion));
      if (i.ignored && i.reason) box.appendChild(el("div", { "class": "fp" }, "ignored: " + i.reason));
      box.appendChild(el("div", { "class": "fp" }, "fingerprint " + i.fingerprint));
      body.appendChild(box);
    });
    document.getElementById("details").hidden = false;
    Array.prototype.forEach.call(document.querySelectorAll("mark.active"), function (m) { m.classList.remove("active"); });
    if (anchor && anchor.tagName === "MARK") anchor.classList.add("active");
  }

  /* ---- system selection and deep links ---- */
  function selectSystem(index) {
    state.system = index;
    document.getElementById("system-select").value = String(index);
    Array.prototype.forEach.call(document.querySelectorAll("section.summary"), function (s) {
      s.hidden = s.getAttribute("data-system") !== String(index);
    });
    buildFilters();
    render();
  }

  function applyHash() {
    var params = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var kv = part.split("=");
      if (kv.length === 2) params[kv[0]] = decodeURIComponent(kv[1]);
    });
    var s = parseInt(params.s, 10);
    if (!isNaN(s) && s >= 0 && s < DATA.systems.length && s !== state.system) selectSystem(s);
    if (params.seg && /^\d+-\d+$/.test(params.seg)) {
      state.targeted = params.seg;
      var row = document.getElementById("seg-" + params.seg);
      if (!row && state.onlyIssues) {
        state.onlyIssues = false;
        document.getElementById("only-issues").checked = false;
      }
      render();
      row = document.getElementById("seg-" + params.seg);
      if (row) row.scrollIntoView({ block: "center" });
    }
  }

  document.getElementById("system-select").addEventListener("change", function (e) {
    selectSystem(parseInt(e.target.value, 10));
  });
  document.getElementById("filters").addEventListener("submit", function (e) { e.preventDefault(); });
  document.getElementById("only-issues").addEventListener("change", function (e) { state.onlyIssues = e.target.checked; render(); });
  document.getElementById("show-ignored").addEventListener("change", function (e) { state.showIgnored = e.target.checked; render(); });
  document.getElementById("details-close").addEventListener("click", function () { document.getElementById("details").hidden = true; });
  document.getElementById("document").addEventListener("click", function (e) {
    var target = e.target.closest ? e.target.closest(".issue-ref") : null;
    if (!target) return;
    var numbers = target.getAttribute("data-issues").split(",").map(function (x) { return parseInt(x, 10); });
    showDetails(numbers, target);
  });
  window.addEventListener("hashchange", applyHash);

  if (DATA.systems.length < 2) document.querySelector(".system-picker").hidden = true;
  selectSystem(0);
  applyHash();
})();
