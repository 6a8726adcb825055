"""The inline stylesheet and script of the ``html`` report (kept apart to keep html.py readable).

Both are constants: the report's Content-Security-Policy allows exactly these two blocks by
hash, so nothing else (an injected script, an external file) can run or load. The script has
no ``//`` comments and loads nothing; it only toggles the ``hidden`` attribute.
"""

from __future__ import annotations

CSS = """
:root { --fg: #1d232a; --muted: #5b6570; --line: #d9dee3; --bg: #ffffff; --panel: #f5f7f9;
  --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --info: #0969da; --manual: #8250df;
  --skip: #6e7781; --error: #ffffff; --error-bg: #a40e26; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header, nav, main, footer { padding: 0.75rem 1.5rem; }
header { background: var(--panel); border-bottom: 1px solid var(--line); }
h1 { font-size: 1.4rem; margin: 0 0 0.5rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 0.25rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; margin: 0.5rem 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
.banner { padding: 0.5rem 0.75rem; border-radius: 4px; font-weight: 600; }
.banner.incomplete { background: var(--error-bg); color: var(--error); }
.summary { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 0.5rem 0; }
.score { font-size: 1.2rem; font-weight: 700; margin-left: 0.5rem; }
.badge { display: inline-block; min-width: 3.5rem; text-align: center; padding: 0 0.4rem; border-radius: 3px;
  font-size: 0.8rem; font-weight: 700; text-transform: uppercase; border: 1px solid currentColor; }
.badge.pass { color: var(--pass); } .badge.fail { color: var(--fail); } .badge.warn { color: var(--warn); }
.badge.info { color: var(--info); } .badge.manual { color: var(--manual); } .badge.skip { color: var(--skip); }
.badge.error { color: var(--error); background: var(--error-bg); border-color: var(--error-bg); }
.sev { font-size: 0.8rem; text-transform: uppercase; color: var(--muted); }
.sev.critical, .sev.high { color: var(--fail); font-weight: 700; } .sev.medium { color: var(--warn); }
nav.filters { display: flex; flex-wrap: wrap; gap: 1rem; border-bottom: 1px solid var(--line); }
nav.filters fieldset { border: 1px solid var(--line); border-radius: 4px; padding: 0.25rem 0.75rem; }
nav.filters label { margin-right: 0.75rem; white-space: nowrap; }
nav.filters button { margin-right: 0.25rem; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--line); }
th { color: var(--muted); font-weight: 600; }
td.id { white-space: nowrap; font-variant-numeric: tabular-nums; }
.rules, .note, .loc, .counts { color: var(--muted); font-size: 0.85rem; }
.note { font-style: italic; }
details { margin-top: 0.25rem; }
summary { cursor: pointer; color: var(--muted); }
ul.targets { list-style: none; margin: 0.25rem 0; padding: 0; }
ul.targets > li { padding: 0.25rem 0 0.25rem 0.5rem; border-left: 3px solid var(--line); margin: 0.25rem 0; }
ul.targets > li.fail { border-left-color: var(--fail); } ul.targets > li.warn { border-left-color: var(--warn); }
ul.targets > li.error { border-left-color: var(--error-bg); } ul.targets > li.pass { border-left-color: var(--pass); }
ul.targets > li.suppressed { opacity: 0.7; border-left-style: dashed; }
ul.evidence { margin: 0.15rem 0; padding-left: 1.25rem; }
code { font: 0.85rem/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--panel);
  padding: 0 0.2rem; border-radius: 3px; white-space: pre-wrap; word-break: break-all; }
.fix { margin: 0.35rem 0 0; padding: 0.35rem 0.5rem; background: #fff8e6; border-left: 3px solid var(--warn); }
.why { color: var(--muted); margin: 0.25rem 0 0; }
footer { color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--line); }
"""

JS = """
(function () {
  "use strict";
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter]"));
  function selected(kind) {
    var out = {};
    boxes.forEach(function (b) {
      if (b.getAttribute("data-filter") === kind && b.checked) { out[b.value] = true; }
    });
    return out;
  }
  function apply() {
    var sections = selected("section");
    var outcomes = selected("outcome");
    var showSuppressed = selected("suppressed").yes === true;
    document.querySelectorAll("section[data-section]").forEach(function (s) {
      s.hidden = !sections[s.getAttribute("data-section")];
    });
    document.querySelectorAll("tr[data-outcome]").forEach(function (r) {
      r.hidden = !outcomes[r.getAttribute("data-outcome")];
    });
    document.querySelectorAll("li.suppressed").forEach(function (li) {
      li.hidden = !showSuppressed;
    });
  }
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  document.querySelectorAll("button[data-preset]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var preset = btn.getAttribute("data-preset");
      boxes.forEach(function (b) {
        var kind = b.getAttribute("data-filter");
        if (preset === "problems" && kind === "outcome") {
          b.checked = b.value === "fail" || b.value === "warn" || b.value === "error";
        } else if (preset === "all" && kind !== "suppressed") {
          b.checked = true;
        }
      });
      apply();
    });
  });
  apply();
})();
"""
