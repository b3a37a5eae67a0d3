// Small behaviours shared by every page; no inline scripts (a CSP forbids them).
(function () {
  "use strict";
  // Selects marked js-autosubmit submit their form when changed (language switcher).
  document.querySelectorAll("select.js-autosubmit").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // Buttons with data-confirm ask before submitting.
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
