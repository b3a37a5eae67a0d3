// Small behaviours shared by every page; no inline scripts (a CSP forbids them).
(function () {
  "use strict";
  // Selects marked js-autosubmit submit their form when changed (language switcher).
  document.querySelectorAll("select.js-autosubmit").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // Buttons marked {% confirm %} ask before submitting: see submit-once.js.
})();
