// Co-signer picker. Without JavaScript the page shows a plain multiple <select> of the
// congress's deputies grouped by delegation, which works as is. With it, the select is
// hidden (it stays the form's value) and replaced by a search box that asks
// suggestions:deputy-search as you type, a list of matches to tap, and the invited
// deputies as removable buttons. No inline scripts: a Content-Security-Policy forbids them.
(function () {
  "use strict";

  var DEBOUNCE_MS = 200;
  var LOCAL_LIMIT = 20;

  function format(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

  function delegationOf(option) {
    var group = option.parentElement;
    return group && group.tagName === "OPTGROUP" ? group.label : "";
  }

  function init(root) {
    var select = root.querySelector("select[multiple]");
    var enhanced = root.querySelector("[data-picker-enhanced]");
    var search = root.querySelector("[data-picker-search]");
    var results = root.querySelector("[data-picker-results]");
    var chips = root.querySelector("[data-picker-chips]");
    var status = root.querySelector("[data-picker-status]");
    var label = root.querySelector("[data-picker-label]");
    var noJsHelp = root.querySelector("[data-picker-nojs-help]");
    if (!select || !enhanced || !search || !results || !chips) { return; }
    var url = root.getAttribute("data-search-url");
    var text = function (name) { return root.getAttribute("data-text-" + name) || ""; };
    var timer = null;
    var sequence = 0;
    var lastMatches = [];

    function optionFor(id) {
      for (var i = 0; i < select.options.length; i += 1) {
        if (select.options[i].value === String(id)) { return select.options[i]; }
      }
      return null;
    }

    function ensureOption(deputy) {
      var option = optionFor(deputy.id);
      if (!option) {
        // Found by the search but not in the page's list: add it so it can be sent.
        option = new Option(deputy.name, String(deputy.id));
        option.setAttribute("data-delegation", deputy.delegation);
        select.appendChild(option);
      }
      return option;
    }

    function describe(option) {
      var delegation = option.getAttribute("data-delegation") || delegationOf(option);
      return { id: option.value, name: option.text, delegation: delegation };
    }

    function announce(message) {
      if (status) { status.textContent = message; }
    }

    function renderChips() {
      chips.textContent = "";
      var selected = Array.prototype.filter.call(select.options, function (o) { return o.selected; });
      if (!selected.length) {
        var empty = document.createElement("li");
        empty.className = "text-muted small";
        empty.textContent = text("empty");
        chips.appendChild(empty);
        return;
      }
      selected.forEach(function (option) {
        var deputy = describe(option);
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-outline-primary";
        button.setAttribute("data-deputy-id", deputy.id);
        button.setAttribute("aria-label", text("remove") + " " + deputy.name);
        button.appendChild(document.createTextNode(deputy.name + " "));
        if (deputy.delegation) {
          var small = document.createElement("small");
          small.className = "text-muted";
          small.textContent = deputy.delegation + " ";
          button.appendChild(small);
        }
        var icon = document.createElement("i");
        icon.className = "bi bi-x-lg";
        icon.setAttribute("aria-hidden", "true");
        button.appendChild(icon);
        button.addEventListener("click", function () {
          option.selected = false;
          announce(format(text("removed"), { name: deputy.name }));
          renderChips();
          renderResults(lastMatches);
          search.focus();
        });
        item.appendChild(button);
        chips.appendChild(item);
      });
    }

    function renderResults(matches) {
      lastMatches = matches;
      results.textContent = "";
      matches.forEach(function (deputy) {
        var option = ensureOption(deputy);
        var item = document.createElement("li");
        item.className = "list-group-item p-0";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-lg w-100 text-start d-flex justify-content-between align-items-center gap-2" +
          (option.selected ? " btn-primary" : " btn-light");
        button.setAttribute("aria-pressed", option.selected ? "true" : "false");
        button.setAttribute("data-deputy-id", deputy.id);
        var name = document.createElement("span");
        name.textContent = deputy.name + " ";
        var delegation = document.createElement("small");
        delegation.className = option.selected ? "" : "text-muted";
        delegation.textContent = deputy.delegation;
        name.appendChild(delegation);
        button.appendChild(name);
        var icon = document.createElement("i");
        icon.className = option.selected ? "bi bi-check-lg" : "bi bi-plus-lg";
        icon.setAttribute("aria-hidden", "true");
        button.appendChild(icon);
        button.addEventListener("click", function () {
          option.selected = !option.selected;
          announce(format(text(option.selected ? "added" : "removed"), { name: deputy.name }));
          renderChips();
          renderResults(lastMatches);
          var again = results.querySelector('[data-deputy-id="' + deputy.id + '"]');
          if (again) { again.focus(); }
        });
        button.addEventListener("keydown", moveFocus);
        item.appendChild(button);
        results.appendChild(item);
      });
    }

    function moveFocus(event) {
      var buttons = Array.prototype.slice.call(results.querySelectorAll("button"));
      var index = buttons.indexOf(event.target);
      if (event.key === "ArrowDown" && index < buttons.length - 1) {
        event.preventDefault();
        buttons[index + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (index > 0) { buttons[index - 1].focus(); } else { search.focus(); }
      } else if (event.key === "Escape") {
        search.focus();
      }
    }

    function localMatches(query) {
      var needle = query.toLowerCase();
      var found = [];
      Array.prototype.forEach.call(select.options, function (option) {
        var deputy = describe(option);
        if (found.length < LOCAL_LIMIT &&
            (deputy.name.toLowerCase().indexOf(needle) !== -1 ||
             deputy.delegation.toLowerCase().indexOf(needle) !== -1)) {
          found.push(deputy);
        }
      });
      return found;
    }

    function show(matches) {
      renderResults(matches);
      announce(matches.length ? format(text("found"), { n: matches.length }) : text("none"));
    }

    function query(value) {
      var mine = ++sequence;
      if (!value) {
        renderResults([]);
        announce("");
        return;
      }
      if (!url || !window.fetch) { show(localMatches(value)); return; }
      fetch(url + "?q=" + encodeURIComponent(value), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) {
        if (mine !== sequence) { return; }  // a later keystroke has asked again
        show((data.results || []).map(function (d) {
          return { id: String(d.id), name: d.name, delegation: d.delegation ? d.delegation.name : "" };
        }));
      }).catch(function () {
        // Offline or refused: the page's own list still answers.
        if (mine === sequence) { show(localMatches(value)); }
      });
    }

    search.addEventListener("input", function () {
      window.clearTimeout(timer);
      var value = search.value.trim();
      timer = window.setTimeout(function () { query(value); }, DEBOUNCE_MS);
    });
    search.addEventListener("keydown", function (event) {
      var first = results.querySelector("button");
      if (event.key === "Enter") {
        // Enter picks the first match instead of sending the whole form.
        event.preventDefault();
        if (first) { first.click(); }
      } else if (event.key === "ArrowDown" && first) {
        event.preventDefault();
        first.focus();
      } else if (event.key === "Escape") {
        search.value = "";
        query("");
      }
    });

    enhanced.hidden = false;
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    if (label) { label.htmlFor = search.id; }
    if (noJsHelp) { noJsHelp.hidden = true; }
    renderChips();
  }

  document.querySelectorAll("[data-cosigner-picker]").forEach(init);
})();
