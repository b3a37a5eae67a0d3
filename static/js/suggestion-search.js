// Live search for a suggestion picker (the merge page). Without this script the page
// still works: its search box submits and the server narrows the <select>.
//
// An <input class="js-suggestion-search"> names what it needs in data attributes:
//   data-search-url  the JSON endpoint (?session=&q=&status=&exclude=)
//   data-session     the session to search in
//   data-statuses    statuses to keep, separated by spaces (optional)
//   data-exclude     a suggestion id to leave out (optional)
//   data-target      the id of the <select> to fill
//   data-status-target  the id of an aria-live element that reports the result
//   data-msg-matches, data-msg-none, data-msg-error  the translated messages
(function () {
  "use strict";

  var DELAY_MS = 250;

  function setup(input) {
    var select = document.getElementById(input.getAttribute("data-target"));
    var status = document.getElementById(input.getAttribute("data-status-target"));
    if (!select || !window.fetch) { return; }
    var timer = null;
    var latest = 0;

    function report(text) {
      if (status) { status.textContent = text; }
    }

    function url() {
      var params = new URLSearchParams();
      params.set("session", input.getAttribute("data-session") || "");
      params.set("q", input.value.trim());
      var exclude = input.getAttribute("data-exclude");
      if (exclude) { params.set("exclude", exclude); }
      (input.getAttribute("data-statuses") || "").split(/\s+/).forEach(function (s) {
        if (s) { params.append("status", s); }
      });
      return input.getAttribute("data-search-url") + "?" + params.toString();
    }

    function fill(results) {
      var chosen = select.value;
      var keep = null;
      // The empty choice ("Choose a suggestion") stays first; the current choice
      // stays too, so that typing never silently drops what was picked.
      var empty = select.querySelector('option[value=""]');
      Array.prototype.slice.call(select.options).forEach(function (option) {
        if (option.value && option.value === chosen) { keep = option; }
      });
      select.textContent = "";
      if (empty) { select.appendChild(empty); }
      if (keep) { select.appendChild(keep); }
      results.forEach(function (item) {
        if (keep && String(item.id) === keep.value) { return; }
        var option = document.createElement("option");
        option.value = String(item.id);
        option.textContent = item.label;
        select.appendChild(option);
      });
      select.value = keep ? keep.value : "";
    }

    function search() {
      var ticket = ++latest;
      fetch(url(), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (data) {
          if (ticket !== latest) { return; }  // an answer to an older keystroke
          fill(data.results || []);
          var count = (data.results || []).length;
          report(count
            ? (input.getAttribute("data-msg-matches") || "") + " " + count
            : input.getAttribute("data-msg-none") || "");
        })
        .catch(function () {
          if (ticket === latest) { report(input.getAttribute("data-msg-error") || ""); }
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    });
    // Enter searches at once instead of reloading the page.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        window.clearTimeout(timer);
        search();
      }
    });
  }

  document.querySelectorAll("input.js-suggestion-search").forEach(setup);
})();
