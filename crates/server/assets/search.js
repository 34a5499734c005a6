// As-you-type results for the search box. Builds the list with DOM calls and textContent
// only, so no text from the server is ever parsed as HTML.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("status");
  if (!input || !list) return;
  var timer = null;
  var inflight = null;
  var latest = "";

  function render(answer) {
    while (list.firstChild) list.removeChild(list.firstChild);
    answer.results.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.href;
      a.textContent = r.name ? r.name : r.value.hex + " (decode)";
      li.appendChild(a);
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = r.value.hex + " · " + r.value.signed + " · " + r.value.unsigned +
        (r.type ? " · " + r.type : "") + " · by " + (r.matched === "related" ? "related value" : r.matched) + (r.detail ? " (" + r.detail + ")" : "");
      li.appendChild(meta);
      if (r.snippet) {
        var s = document.createElement("span");
        s.className = "snippet";
        s.textContent = r.snippet;
        li.appendChild(s);
      }
      list.appendChild(li);
    });
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
