// A form that creates something (it carries a one-time form_token) disables its
// submit buttons once it is sent, so a double click sends it once. A courtesy only:
// the server refuses a second use of the token whatever the browser does.
(function () {
  "use strict";
  function buttons(form) {
    return form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.querySelector('input[name="form_token"]')) { return; }
    if (form.dataset.submitted === "true") { event.preventDefault(); return; }
    // Disabled after the browser has read the clicked button's name and value.
    window.setTimeout(function () {
      if (event.defaultPrevented) { return; }
      form.dataset.submitted = "true";
      buttons(form).forEach(function (button) { button.disabled = true; });
    }, 0);
  });
  // Back to a page kept in the browser's cache: its forms may be used again (the
  // server still refuses a token already used).
  window.addEventListener("pageshow", function () {
    document.querySelectorAll('form[data-submitted="true"]').forEach(function (form) {
      delete form.dataset.submitted;
      buttons(form).forEach(function (button) { button.disabled = false; });
    });
  });
})();
