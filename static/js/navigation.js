// The header's disclosures (menu groups, the account menu, the phone's "Menu") are <details> elements and work
// without this script; it only makes them behave like menus: opening one closes the others, Escape closes the
// open one and puts the focus back on its button, and a click or a focus outside closes them (no inline script).
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  if (!header) { return; }
  var disclosures = Array.prototype.slice.call(header.querySelectorAll("details.nav-disclosure"));

  function closeAll(except) {
    disclosures.forEach(function (details) {
      if (details !== except && details.open && !details.contains(except)) { details.open = false; }
    });
  }

  disclosures.forEach(function (details) {
    details.addEventListener("toggle", function () {
      if (details.open) { closeAll(details); }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = disclosures.filter(function (details) { return details.open && details.contains(document.activeElement); });
    var details = open[open.length - 1];
    if (details) {
      details.open = false;
      details.querySelector("summary").focus();
    }
  });

  function outside(event) {
    if (!header.contains(event.target)) { closeAll(null); return; }
    disclosures.forEach(function (details) {
      if (details.open && !details.contains(event.target)) { details.open = false; }
    });
  }
  document.addEventListener("click", outside);
  document.addEventListener("focusin", outside);
}());
