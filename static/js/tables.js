// A table wider than the screen scrolls sideways inside its ".table-wrap"; keyboard users must be able to reach
// and scroll it (WCAG 2.1.1), so such a wrapper becomes a focusable region named after its caption or the
// heading above it. Wrappers whose table fits stay out of the tab order. No inline script (CSP).
(function () {
  "use strict";

  function nameOf(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    var section = wrap.closest("section, article, main");
    var headings = section ? section.querySelectorAll("h1, h2, h3") : [];
    for (var i = headings.length - 1; i >= 0; i--) {
      if (headings[i].compareDocumentPosition(wrap) & Node.DOCUMENT_POSITION_FOLLOWING) {
        return headings[i].textContent.trim();
      }
    }
    return document.title;
  }

  function update() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("data-scrolls", "");
        if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
          wrap.setAttribute("aria-label", nameOf(wrap));
        }
      } else if (!scrolls && wrap.hasAttribute("data-scrolls")) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("data-scrolls");
      }
    });
  }

  var pending = null;
  update();
  window.addEventListener("resize", function () {
    if (pending) { window.clearTimeout(pending); }
    pending = window.setTimeout(update, 150);
  });
}());
