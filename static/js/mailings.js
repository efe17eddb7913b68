// The page of a mailing being sent: polls its JSON status and updates the counts until the sending ends, then
// reloads (the recipients' statuses and the retry button are part of the page). No inline script (CSP).
(function () {
  "use strict";
  var box = document.getElementById("mailing-status");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var delay = 1500;

  function set(role, value) {
    var element = box.querySelector("[data-role=" + role + "]");
    if (element) { element.textContent = value; }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        set("label", data.status_label);
        set("total", data.total);
        set("sent", data.sent);
        set("failed", data.failed);
        set("queued", data.queued);
        if (data.pending) {
          delay = Math.min(delay * 1.3, 10000);
          window.setTimeout(poll, delay);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }

  window.setTimeout(poll, delay);
})();
