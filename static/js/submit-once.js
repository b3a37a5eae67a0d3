// Sending a form that changes something.
//
// 1. A button marked {% confirm "action" %} (data-confirm-*) asks first, in a modal
//    <dialog>: its title, message, a cancel and a confirm button. Esc or 取消 closes
//    it and nothing is sent; the confirm button sends the form with that button. The
//    dialog is modal (the rest of the page is inert), so focus stays in it; focus
//    returns to the button when it closes.
// 2. A form carrying a one-time form_token disables its submit buttons once it is
//    sent, so a double click sends it once (not for a button marked
//    data-writes-nothing, whose answer is a download). A courtesy only: the server refuses a
//    second use of the token whatever the browser does, and answers it as the first.
(function () {
  "use strict";
  function buttons(form) {
    return form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');
  }

  var dialog = null;
  function buildDialog() {
    var d = document.createElement("dialog");
    d.className = "confirm-dialog border-0 rounded-3 shadow p-0";
    d.setAttribute("aria-labelledby", "confirm-dialog-title");
    d.setAttribute("aria-describedby", "confirm-dialog-message");
    d.setAttribute("data-testid", "confirm-dialog");
    d.innerHTML =
      '<form method="dialog" class="p-4">' +
      '<h2 class="h5 mb-3" id="confirm-dialog-title"></h2>' +
      '<p class="mb-4" id="confirm-dialog-message"></p>' +
      '<div class="d-flex flex-wrap justify-content-end gap-2">' +
      '<button type="submit" value="cancel" class="btn btn-outline-secondary" data-testid="confirm-cancel"></button>' +
      '<button type="submit" value="ok" class="btn btn-primary" data-testid="confirm-ok"></button>' +
      "</div></form>";
    document.body.appendChild(d);
    return d;
  }

  function ask(submitter, onConfirm) {
    if (!dialog) { dialog = buildDialog(); }
    var data = submitter.dataset;
    dialog.querySelector("#confirm-dialog-title").textContent = data.confirmTitle || "";
    dialog.querySelector("#confirm-dialog-message").textContent = data.confirm || "";
    var ok = dialog.querySelector('[value="ok"]');
    var cancel = dialog.querySelector('[value="cancel"]');
    ok.textContent = data.confirmButton || "OK";
    cancel.textContent = data.confirmCancel || "Cancel";
    ok.classList.toggle("btn-danger", submitter.classList.contains("btn-outline-danger") || submitter.classList.contains("btn-danger"));
    ok.classList.toggle("btn-primary", !ok.classList.contains("btn-danger"));
    dialog.returnValue = "";
    dialog.addEventListener("close", function closed() {
      dialog.removeEventListener("close", closed);
      if (dialog.returnValue === "ok") { onConfirm(); } else { submitter.focus(); }
    });
    dialog.showModal();
    cancel.focus();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method === "dialog") { return; }
    if (form.dataset.submitted === "true") { event.preventDefault(); return; }
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute("data-confirm") && form.dataset.confirmed !== "true") {
      event.preventDefault();
      event.stopImmediatePropagation();
      ask(submitter, function () {
        form.dataset.confirmed = "true";
        form.requestSubmit(submitter);
      });
      return;
    }
    delete form.dataset.confirmed;
    // A button that only computes (the 答复函 draft: data-writes-nothing) answers with
    // a download and leaves the page as it is: the form stays usable for the send.
    if (submitter && submitter.hasAttribute("data-writes-nothing")) { return; }
    if (!form.querySelector('input[name="form_token"]')) { return; }
    // Disabled after the browser has read the clicked button's name and value.
    window.setTimeout(function () {
      if (event.defaultPrevented) { return; }
      form.dataset.submitted = "true";
      buttons(form).forEach(function (button) { button.disabled = true; });
    }, 0);
  }, true);
  // Back to a page kept in the browser's cache: its forms may be used again (the
  // server still refuses a token already used).
  window.addEventListener("pageshow", function () {
    document.querySelectorAll('form[data-submitted="true"]').forEach(function (form) {
      delete form.dataset.submitted;
      buttons(form).forEach(function (button) { button.disabled = false; });
    });
  });
})();
