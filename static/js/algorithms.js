// The job page's progress bar: polls the job's JSON status until the job ends, then puts the page in its final
// state (results, files, "Run again" instead of "Cancel") by fetching the page again and swapping its content;
// the hint to reload shows only if that fails. No inline script; CSP-friendly.
(function () {
  "use strict";
  var section = document.getElementById("job-progress");
  if (!section) { return; }
  var url = section.getAttribute("data-status-url");
  var status = document.getElementById("job-status");
  var stage = document.getElementById("job-stage");
  var bar = document.getElementById("job-percent");
  var error = document.getElementById("job-error");
  var log = document.getElementById("job-log");
  var hint = document.getElementById("job-reload-hint");
  var delay = 2000;

  function show(data) {
    status.textContent = data.status_display;
    status.className = "job-status job-status-" + data.status;
    stage.textContent = data.stage;
    bar.value = data.percent;
    bar.textContent = data.percent + " %";
    if (data.error) { error.textContent = data.error; error.hidden = false; }
    if (log && log.textContent !== data.log) {
      var atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
      log.textContent = data.log;
      if (atBottom) { log.scrollTop = log.scrollHeight; }
    }
  }

  function showFinal() {
    var container = document.getElementById("job-page");
    if (!container || !window.DOMParser) { if (hint) { hint.hidden = false; } return; }
    fetch(container.getAttribute("data-page-url") || window.location.pathname,
          { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) {
        var fresh = new window.DOMParser().parseFromString(html, "text/html").getElementById("job-page");
        if (!fresh) { throw new Error("no job page"); }
        container.replaceWith(document.importNode(fresh, true));
      })
      .catch(function () { if (hint) { hint.hidden = false; } });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.finished) { showFinal(); } else { window.setTimeout(poll, delay); }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 30000);  // back off while the server is unreachable
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
