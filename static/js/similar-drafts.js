// The drafting panel (相似的已有建议): as the deputy types the title and text of a
// draft, the earlier suggestions like it, asked of the server (an HTML fragment,
// suggestions.views.deputy.similar_panel) a moment after the typing stops and once the
// title says enough. Without this script the panel shows what the page was rendered
// with (the saved draft's). No inline scripts: a Content-Security-Policy forbids them.
//
// The element marked .js-similar names what it needs in data attributes:
//   data-url       the fragment's address (?title=&text=&congress=)
//   data-congress  the congress of the draft (a deputy of several congress bodies)
//   data-title, data-text  the ids of the title and text fields
//   data-min       the fewest characters of a title worth asking about
//   data-max-title, data-max-text  the most the server takes of each
(function () {
  "use strict";

  var DELAY_MS = 500;

  function setup(panel) {
    var title = document.getElementById(panel.getAttribute("data-title"));
    var text = document.getElementById(panel.getAttribute("data-text"));
    if (!title || !window.fetch || !window.URLSearchParams) { return; }
    var min = parseInt(panel.getAttribute("data-min"), 10) || 4;
    var maxTitle = parseInt(panel.getAttribute("data-max-title"), 10) || 200;
    var maxText = parseInt(panel.getAttribute("data-max-text"), 10) || 500;
    var timer = null;
    var latest = 0;
    var asked = null;  // the query string of the last answer shown

    function query() {
      var params = new URLSearchParams();
      var t = title.value.trim();
      // A title too short to compare is sent empty: one answer (the hint) serves
      // every short title.
      params.set("title", t.length >= min ? t.slice(0, maxTitle) : "");
      params.set("text", t.length >= min && text ? text.value.trim().slice(0, maxText) : "");
      params.set("congress", panel.getAttribute("data-congress") || "");
      return params.toString();
    }

    function refresh() {
      var q = query();
      if (q === asked) { return; }
      var ticket = ++latest;
      fetch(panel.getAttribute("data-url") + "?" + q, {
        credentials: "same-origin",
        headers: { "Accept": "text/html", "X-Requested-With": "XMLHttpRequest" }
      })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          if (ticket !== latest) { return; }  // an answer to an older keystroke
          // The server's own template, escaped there: the same markup the page
          // was rendered with.
          panel.innerHTML = html;
          asked = q;
        })
        .catch(function () { /* the panel keeps what it showed */ });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DELAY_MS);
    }

    title.addEventListener("input", later);
    // The page goes once the form is sent: no question is worth asking then.
    if (title.form) {
      title.form.addEventListener("submit", function () {
        window.clearTimeout(timer);
        latest += 1;
      });
    }
    if (text) { text.addEventListener("input", later); }
    // What the page was rendered with answers the fields as they are now.
    asked = query();
  }

  document.querySelectorAll(".js-similar").forEach(setup);
})();
