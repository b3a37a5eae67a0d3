// Buttons marked data-action="print" print the page (its print styles leave out the
// navigation and the controls). Hidden where the browser cannot print.
(function () {
  "use strict";
  document.querySelectorAll('[data-action="print"]').forEach(function (button) {
    if (typeof window.print !== "function") { button.hidden = true; return; }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  });
})();
