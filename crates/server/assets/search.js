// As-you-type results for the search box, laid out as the server lays out `/?q=` (pages.rs
// `result_items`): the answer first, then texts and decodings, the other names with the value
// folded; the query's words marked. Builds the list with DOM calls and textContent only, so no
// text from the server is ever parsed as HTML.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("status");
  if (!input || !list) return;
  var timer = null;
  var inflight = null;
  var latest = "";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The words to mark: none for a value; else each word of two characters or more.
  function termsOf(answer) {
    if (answer.values && answer.values.length) return [];
    return (answer.answered || answer.query).split(/[^\p{L}\p{N}_]+/u).filter(function (w) { return w.length >= 2; });
  }

  // `text` into `parent`, each occurrence of a term (letter case ignored) in <mark>.
  function appendMarked(parent, text, terms) {
    if (!terms.length) { parent.appendChild(document.createTextNode(text)); return; }
    var escaped = terms.map(function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    escaped.sort(function (a, b) { return b.length - a.length; });
    var parts = text.split(new RegExp("(" + escaped.join("|") + ")", "gi"));
    parts.forEach(function (part, i) {
      if (!part) return;
      if (i % 2 === 1) parent.appendChild(el("mark", "", part));
      else parent.appendChild(document.createTextNode(part));
    });
  }

  function sourceTitle(kit) { return kit.indexOf("msdocs") === 0 ? "Microsoft Learn" : kit; }

  function item(r, terms) {
    var li = el("li", r.lead ? "lead" : "");
    var a = el("a");
    a.href = r.href;
    if (r.name) appendMarked(a, r.name, terms);
    else a.textContent = r.value.hex + " (decode)";
    li.appendChild(a);
    var meta = (r.value ? r.value.hex + " · " + r.value.signed + " · " + r.value.unsigned : "") +
      (r.type ? " · " + r.type : "") +
      " · by " + (r.matched === "related" ? "related value" : r.matched) +
      (r.detail ? " (" + r.detail + ")" : "");
    li.appendChild(el("span", "meta", meta));
    if (r.description) {
      var snippet = el("span", "snippet");
      appendMarked(snippet, r.description, terms);
      li.appendChild(snippet);
    }
    var c = r.description_source;
    if (c && c.license.indexOf("CC-BY") === 0) {
      var credit = el("span", "credit", "Text: " + sourceTitle(c.source) + " (" + c.source + " " +
        c.version + "), " + c.file + " · " + c.license + " · ");
      var about = el("a", "", "sources and licenses");
      about.href = "/about";
      credit.appendChild(about);
      li.appendChild(credit);
    }
    return li;
  }

  function render(answer) {
    while (list.firstChild) list.removeChild(list.firstChild);
    var terms = termsOf(answer);
    var folded = function (r) {
      return !r.lead && (r.matched === "value" || r.matched === "related" || r.matched === "name");
    };
    var others = answer.results.filter(folded);
    answer.results.filter(function (r) { return !folded(r); }).forEach(function (r) {
      list.appendChild(item(r, terms));
    });
    if (others.length) {
      var more = el("li", "more");
      var details = el("details");
      details.appendChild(el("summary", "", "+" + others.length +
        " other names with this value or converting to it"));
      var inner = el("ol", "results");
      others.forEach(function (r) { inner.appendChild(item(r, terms)); });
      details.appendChild(inner);
      more.appendChild(details);
      list.appendChild(more);
    }
    if (status) {
      status.textContent = answer.results.length ? answer.results.length + " results" : "no results";
    }
    // Which query the list shows (tests and assistive tools can wait for it).
    list.setAttribute("data-query", answer.query);
  }

  function run() {
    var q = input.value.trim();
    latest = q;
    if (history.replaceState) {
      history.replaceState(null, "", q ? "/?q=" + encodeURIComponent(q) : "/");
    }
    if (!q) {
      while (list.firstChild) list.removeChild(list.firstChild);
      if (status) status.textContent = "";
      return;
    }
    if (inflight && inflight.abort) inflight.abort();
    inflight = window.AbortController ? new AbortController() : null;
    fetch("/api/v1/lookup?limit=30&q=" + encodeURIComponent(q), inflight ? { signal: inflight.signal } : {})
      .then(function (res) { return res.json(); })
      .then(function (answer) {
        if (q !== latest) return;
        if (answer.results) render(answer);
        else if (status) status.textContent = answer.error || "error";
      })
      .catch(function (e) { if (e.name !== "AbortError" && status) status.textContent = "lookup failed"; });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  });
  // Enter goes straight to the best result once one is shown.
  input.form.addEventListener("submit", function (ev) {
    var first = list.querySelector("a");
    if (first && input.value.trim() === latest) {
      ev.preventDefault();
      window.location.href = first.href;
    }
  });
})();
