// The progress page of a PDF report: polls its JSON status until it is ready or failed (no inline script).
(function () {
  "use strict";
  var box = document.getElementById("report-status");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var delay = 1500;

  function show(data) {
    var label = box.querySelector("[data-role=label]");
    label.textContent = data.status_label;
    label.className = "badge report-" + data.status;
    box.setAttribute("data-status", data.status);
    var download = box.querySelector("[data-role=download]");
    var failure = box.querySelector("[data-role=failure]");
    var hint = box.querySelector("[data-role=hint]");
    if (data.status === "ready") {
      download.hidden = false;
      if (hint) { hint.hidden = true; }
    }
    if (data.status === "failed") {
      failure.textContent = data.failure_reason;
      failure.hidden = false;
      if (hint) { hint.hidden = true; }
      // The retry button is part of the page once it is reloaded.
      window.location.reload();
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        show(data);
        if (data.status === "queued" || data.status === "rendering") {
          delay = Math.min(delay * 1.3, 10000);
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }

  window.setTimeout(poll, delay);
})();
