//! The matrix as one self-contained HTML page: no external file, font, script or style, so it can be attached to
//! a CI run and opened anywhere.
//!
//! The page is complete without JavaScript: the implementations table, the third-party divergences with their
//! evidence, and the matrix itself (implementation by vector, one symbol per verdict) are static HTML. A small
//! inline script adds the filters (scheme, result, id text) and expands a clicked cell into its failure: reason,
//! expected-failure entry, first differing stage (expected and actual), differing fields and the testee's answer.
//! The filters live in the address (`#scheme=kraken-spot&result=problem&id=secret&open=12:3`), so a view can be
//! linked and reopened.
//! The details come from a JSON island (`<script type="application/json">`) holding only the cells that are not
//! passes, so the page stays small.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{Column, Matrix};
// XML 1.0 escaping is also HTML escaping (`&apos;` is an HTML5 entity); it makes the characters XML cannot carry
// visible as `\u{..}`.
use crate::report::junit::escape as esc;

/// The CSS classes and symbols of the verdicts, in the order the legend shows them.
const VERDICTS: &[(&str, &str, &str)] = &[
    ("pass", "\u{2713}", "pass"),
    ("fail", "\u{2717}", "failure"),
    ("expected_failure", "xf", "expected failure (listed)"),
    (
        "unexpected_pass",
        "!",
        "unexpected pass (listed, but passed)",
    ),
    (
        "skipped",
        "\u{2013}",
        "skipped (not offered, or cannot be expressed)",
    ),
    ("not_run", "", "testee did not run"),
];

pub(super) fn render(matrix: &Matrix) -> String {
    let mut out = String::with_capacity(1 << 20);
    out.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>authspec conformance matrix</title>\n<style>\n",
    );
    out.push_str(CSS);
    out.push_str("</style>\n</head>\n<body>\n");
    let _ = writeln!(
        out,
        "<header><h1>authspec conformance matrix</h1><p class=\"verdict {}\">{}: {} implementations, {} vectors \
         and scenarios.</p></header>",
        if matrix.success { "ok" } else { "failed" },
        if matrix.success {
            "Every implementation conforms up to its expected-failures list"
        } else {
            "FAILED: at least one implementation has an unexpected result, a protocol error, a leak, or did not run"
        },
        matrix.testees.len(),
        matrix.vectors.len()
    );
    implementations(&mut out, matrix);
    divergences(&mut out, matrix);
    grid(&mut out, matrix);
    out.push_str("<script>\n");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

fn implementations(out: &mut String, matrix: &Matrix) {
    out.push_str(
        "<section id=\"implementations\"><h2>Implementations</h2>\n<table class=\"summary\"><thead><tr>\
         <th>testee</th><th>library</th><th>version</th><th>passed</th><th>failed</th><th>skipped</th>\
         <th>expected failures</th><th>divergences</th><th>leaks</th><th>verdict</th></tr></thead><tbody>\n",
    );
    for column in &matrix.testees {
        let (library, version) = match (&column.manifest, &column.run) {
            (Some(m), _) => (
                format!(
                    "<a href=\"{}\">{}</a> ({}){}",
                    esc(&m.library.source),
                    esc(&m.library.name),
                    esc(&m.library.registry),
                    if m.third_party { "" } else { " — ours" }
                ),
                esc(&m.library.version),
            ),
            (None, Some(run)) => (
                format!("{} — ours", esc(&run.hello.name)),
                esc(&run.hello.version),
            ),
            (None, None) => (String::new(), String::new()),
        };
        let summary = column
            .manifest
            .as_ref()
            .map(|m| esc(&m.summary))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td title=\"{summary}\"><b>{}</b></td><td>{library}</td><td>{version}</td>",
            esc(&column.name)
        );
        match &column.run {
            Some(run) => {
                let t = run.totals;
                let _ = write!(
                    out,
                    "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
                    t.passed, t.failed, t.skipped, t.expected_failures
                );
            }
            None => out.push_str("<td colspan=\"4\"></td>"),
        }
        let verdict = match (&column.problem, column.success) {
            (Some(problem), _) => format!("<span class=\"bad\">not run: {}</span>", esc(problem)),
            (None, true) => "<span class=\"good\">ok</span>".to_owned(),
            (None, false) => {
                let protocol = column
                    .run
                    .as_ref()
                    .and_then(|r| r.protocol_error.as_deref())
                    .map(|e| format!(": {}", esc(e.lines().next().unwrap_or_default())))
                    .unwrap_or_default();
                format!("<span class=\"bad\">FAILED{protocol}</span>")
            }
        };
        let _ = writeln!(
            out,
            "<td class=\"n\">{}</td><td class=\"n{}\">{}</td><td>{verdict}</td></tr>",
            column.divergences.len(),
            if column.leaks.is_empty() { "" } else { " bad" },
            column.leaks.len()
        );
    }
    out.push_str("</tbody></table>\n");
    for column in matrix.testees.iter().filter(|c| !c.leaks.is_empty()) {
        let _ = writeln!(
            out,
            "<p class=\"bad\">{} showed secrets it was given:</p><ul>",
            esc(&column.name)
        );
        for leak in &column.leaks {
            let _ = writeln!(
                out,
                "<li>{} at {}: {}</li>",
                esc(&leak.source),
                esc(&leak.location),
                esc(&leak.secret)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

fn divergences(out: &mut String, matrix: &Matrix) {
    let third: Vec<&Column> = matrix
        .testees
        .iter()
        .filter(|c| c.third_party() && !c.divergences.is_empty())
        .collect();
    out.push_str("<section id=\"divergences\"><h2>Third-party divergences</h2>\n");
    if third.is_empty() {
        out.push_str("<p>None recorded.</p></section>\n");
        return;
    }
    out.push_str(
        "<p>Recorded in each testee's <code>expected-failures.yaml</code> as <code>kind: divergence</code>, and \
         confirmed by this run (every vector counted failed exactly as the entry says). Click a testee to see \
         its entries.</p>\n",
    );
    for column in third {
        let vectors: usize = column.divergences.iter().map(|d| d.vectors.len()).sum();
        let _ = writeln!(
            out,
            "<details><summary><b>{}</b>: {} entries, {vectors} vectors</summary>\n<table class=\"summary\"><thead>\
             <tr><th>vectors</th><th>fails as</th><th>count</th><th>what it does</th><th>evidence</th></tr>\
             </thead><tbody>",
            esc(&column.name),
            column.divergences.len()
        );
        for d in &column.divergences {
            let how = match (&d.entry.code, &d.entry.stage) {
                (Some(code), _) => format!("error <code>{}</code>", esc(code)),
                (None, Some(stage)) => format!("stage <code>{}</code>", esc(stage)),
                (None, None) => "any mismatch".to_owned(),
            };
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td>{how}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
                esc(&d.entry.id),
                d.vectors.len(),
                esc(&d.entry.reason),
                esc(d.entry.evidence.as_deref().unwrap_or_default())
            );
        }
        out.push_str("</tbody></table></details>\n");
    }
    out.push_str("</section>\n");
}

fn grid(out: &mut String, matrix: &Matrix) {
    let mut schemes: Vec<&str> = Vec::new();
    for row in &matrix.vectors {
        if !schemes.contains(&row.scheme.as_str()) {
            schemes.push(&row.scheme);
        }
    }
    out.push_str("<section id=\"matrix\"><h2>Matrix</h2>\n<div class=\"filters\">\n");
    out.push_str("<label>scheme <select id=\"f-scheme\"><option value=\"\">all</option>");
    for scheme in &schemes {
        let _ = write!(out, "<option>{}</option>", esc(scheme));
    }
    out.push_str("</select></label>\n<label>result <select id=\"f-result\">");
    for (value, label) in [
        ("", "any"),
        ("problem", "any failure, expected or not"),
        ("differs", "implementations disagree"),
        ("fail", "failure"),
        ("expected_failure", "expected failure"),
        ("unexpected_pass", "unexpected pass"),
        ("skipped", "skipped"),
        ("allpass", "passed by every implementation that ran it"),
    ] {
        let _ = write!(out, "<option value=\"{value}\">{label}</option>");
    }
    out.push_str(
        "</select></label>\n<label>id <input id=\"f-text\" type=\"search\" placeholder=\"substring\"></label>\n\
         <span id=\"f-count\"></span>\n</div>\n<p class=\"legend\">",
    );
    for (class, symbol, label) in VERDICTS {
        let _ = write!(
            out,
            "<span class=\"c {class}\">{symbol}</span> {label} &nbsp; "
        );
    }
    out.push_str("Click a cell to see its details.</p>\n<table id=\"grid\"><thead><tr><th>vector</th><th>op</th><th>expects</th>");
    for column in &matrix.testees {
        let _ = write!(
            out,
            "<th class=\"t\"><span>{}</span></th>",
            esc(&column.name)
        );
    }
    out.push_str("</tr></thead><tbody>\n");

    let mut details = serde_json::Map::new();
    for (r, row) in matrix.vectors.iter().enumerate() {
        let statuses: Vec<&str> = matrix
            .testees
            .iter()
            .map(|c| {
                row.results
                    .get(&c.name)
                    .and_then(|o| o.get("status"))
                    .and_then(Value::as_str)
                    .unwrap_or("not_run")
            })
            .collect();
        let _ = write!(
            out,
            "<tr data-r=\"{r}\" data-scheme=\"{}\" data-st=\"{}\"><td class=\"id\" title=\"{}\">{}</td><td>{}</td><td>{}</td>",
            esc(&row.scheme),
            statuses.join(" "),
            esc(&format!(
                "{} [{}]",
                row.description,
                row.requirements.join(", ")
            )),
            esc(&row.id),
            esc(&row.op),
            esc(&row.expect)
        );
        for (c, (column, status)) in matrix.testees.iter().zip(&statuses).enumerate() {
            let symbol = VERDICTS
                .iter()
                .find(|(class, _, _)| class == status)
                .map_or("?", |v| v.1);
            let outcome = row.results.get(&column.name);
            let title = outcome
                .and_then(|o| o.get("reason").or_else(|| o.get("listed_reason")))
                .and_then(Value::as_str)
                .map(|reason| format!(" title=\"{}\"", esc(reason)))
                .unwrap_or_default();
            let detailed = matches!(*status, "fail" | "expected_failure" | "unexpected_pass");
            if let (true, Some(outcome)) = (detailed, outcome) {
                details.insert(
                    format!("{r}:{c}"),
                    json!({"testee": column.name, "id": row.id, "outcome": outcome}),
                );
            }
            let _ = write!(
                out,
                "<td class=\"c {status}{}\" data-c=\"{c}\"{title}>{symbol}</td>",
                if detailed { " x" } else { "" }
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></section>\n");
    let data = serde_json::to_string(&Value::Object(details)).unwrap_or_else(|_| "{}".to_owned());
    // `</` cannot appear inside a script element; JSON allows the escaped solidus.
    let _ = writeln!(
        out,
        "<script type=\"application/json\" id=\"details\">{}</script>",
        data.replace("</", "<\\/")
    );
}

const CSS: &str = r#"body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5em;color:#1d1d1f}
h1{margin:0 0 .2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
code,pre,.id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
table{border-collapse:collapse}th,td{border:1px solid #ddd;padding:2px 6px;vertical-align:top}
table.summary td{max-width:40em}.n{text-align:right}
.verdict.ok,.good{color:#116329;font-weight:600}.verdict.failed,.bad{color:#b3261e;font-weight:600}
.filters{position:sticky;top:0;background:#fff;padding:.5em 0;z-index:2;display:flex;gap:1.5em;align-items:center}
#grid thead th{position:sticky;top:2.6em;background:#f6f8fa;z-index:1}
#grid th.t{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;padding:6px 2px}
#grid td.c{text-align:center;min-width:1.6em;font-weight:600}
.c.pass{background:#dafbe1;color:#116329}.c.fail{background:#ffebe9;color:#b3261e}
.c.expected_failure{background:#fff8c5;color:#7d4e00}.c.unexpected_pass{background:#ffd8b5;color:#953800}
.c.skipped{background:#f6f8fa;color:#8c959f}.c.not_run{background:#eaeef2}
.legend .c{display:inline-block;min-width:1.6em;text-align:center;border:1px solid #ddd}
td.x{cursor:pointer}td.x:hover{outline:2px solid #0969da}
tr.detail td{background:#fbfbfb}tr.detail pre{white-space:pre-wrap;word-break:break-all;margin:.2em 0}
tr.detail dt{font-weight:600;margin-top:.4em}tr.detail dd{margin-left:1em}
"#;

const SCRIPT: &str = r#"(function () {
  var details = JSON.parse(document.getElementById('details').textContent);
  var rows = Array.prototype.slice.call(document.querySelectorAll('#grid tbody tr[data-r]'));
  var scheme = document.getElementById('f-scheme');
  var result = document.getElementById('f-result');
  var text = document.getElementById('f-text');
  var count = document.getElementById('f-count');
  function keep(tr) {
    if (scheme.value && tr.dataset.scheme !== scheme.value) return false;
    if (text.value && tr.cells[0].textContent.indexOf(text.value) < 0) return false;
    var st = tr.dataset.st.split(' ');
    var ran = st.filter(function (s) { return s !== 'skipped' && s !== 'not_run'; });
    switch (result.value) {
      case '': return true;
      case 'problem': return st.some(function (s) { return s === 'fail' || s === 'expected_failure' || s === 'unexpected_pass'; });
      case 'differs': return ran.some(function (s) { return s !== ran[0]; });
      case 'allpass': return ran.length > 0 && ran.every(function (s) { return s === 'pass'; });
      default: return st.indexOf(result.value) >= 0;
    }
  }
  function apply() {
    var shown = 0;
    rows.forEach(function (tr) {
      var k = keep(tr);
      tr.hidden = !k;
      if (k) shown++;
      var next = tr.nextElementSibling;
      if (next && next.classList.contains('detail')) next.hidden = !k;
    });
    count.textContent = shown + ' of ' + rows.length + ' shown';
  }
  function save() {
    var p = [];
    if (scheme.value) p.push('scheme=' + encodeURIComponent(scheme.value));
    if (result.value) p.push('result=' + encodeURIComponent(result.value));
    if (text.value) p.push('id=' + encodeURIComponent(text.value));
    history.replaceState(null, '', p.length ? '#' + p.join('&') : location.pathname);
  }
  [scheme, result].forEach(function (el) { el.addEventListener('change', function () { apply(); save(); }); });
  text.addEventListener('input', function () { apply(); save(); });
  function el(tag, content) { var e = document.createElement(tag); if (content !== undefined) e.textContent = content; return e; }
  function show(v) { return typeof v === 'string' ? v : JSON.stringify(v, null, 2); }
  function describe(d) {
    var o = d.outcome, f = o.failure || o, dl = el('dl');
    function item(label, value, pre) {
      dl.appendChild(el('dt', label));
      var dd = el('dd'); dd.appendChild(pre ? el('pre', value) : document.createTextNode(value)); dl.appendChild(dd);
    }
    item('verdict', d.testee + ' on ' + d.id + ': ' + o.status.replace('_', ' '));
    if (o.listed_reason) item('expected-failures entry', o.listed_reason);
    if (f.reason) item('reason', f.reason);
    if (f.step) item('failing step', f.step);
    if (f.first_differing_stage) {
      var s = f.first_differing_stage;
      item('first differing stage', s.name);
      item('expected', show(s.expected), true);
      item('actual', show(s.actual), true);
    }
    (f.result_diffs || []).forEach(function (r) {
      item('field ' + r.path, 'expected: ' + show(r.expected) + '\nactual:   ' + ('actual' in r ? show(r.actual) : '(missing)'), true);
    });
    if (f.answer) item('answer', JSON.stringify(f.answer, null, 2), true);
    return dl;
  }
  document.getElementById('grid').addEventListener('click', function (ev) {
    var td = ev.target.closest('td.x');
    if (!td) return;
    var tr = td.parentElement, key = tr.dataset.r + ':' + td.dataset.c;
    var next = tr.nextElementSibling;
    if (next && next.classList.contains('detail')) {
      var same = next.dataset.key === key;
      next.remove();
      if (same) return;
    }
    var d = details[key];
    if (!d) return;
    var row = el('tr'); row.className = 'detail'; row.dataset.key = key;
    var cell = el('td'); cell.colSpan = tr.cells.length; cell.appendChild(describe(d));
    row.appendChild(cell);
    tr.parentNode.insertBefore(row, tr.nextSibling);
  });
  // State from the address (#scheme=...&result=...&id=...&open=<row>:<column>), so a view can be linked.
  var opened = null;
  location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
    var i = kv.indexOf('='), k = kv.slice(0, i), v = decodeURIComponent(kv.slice(i + 1));
    if (k === 'scheme') scheme.value = v;
    if (k === 'result') result.value = v;
    if (k === 'id') text.value = v;
    if (k === 'open') opened = v;
  });
  apply();
  if (opened) {
    var rc = opened.split(':');
    var cell = document.querySelector('#grid tr[data-r="' + rc[0] + '"] td[data-c="' + rc[1] + '"]');
    if (cell) { cell.click(); cell.scrollIntoView(); }
  }
})();
"#;
