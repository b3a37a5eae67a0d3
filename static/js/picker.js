// A search picker with chips, for any <select> (multiple or single) inside an element
// marked data-picker (templates/includes/picker.html). Without JavaScript the plain
// select works as is. With it, the select is hidden (it stays the form's value) and
// replaced by a search box that asks data-search-url as you type ({results: [{id, name,
// detail}]}; a deputy's delegation serves as its detail), a list of matches to pick
// with the arrow keys and Enter, and the chosen ones as removable chips (Backspace in
// the empty search box removes the last one). Results and changes are announced in an
// aria-live region. No inline scripts: a Content-Security-Policy forbids them.
(function () {
  "use strict";

  var DEBOUNCE_MS = 200;
  var LOCAL_LIMIT = 20;

  function format(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

  function groupOf(option) {
    var group = option.parentElement;
    return group && group.tagName === "OPTGROUP" ? group.label : "";
  }

  function init(root) {
    var select = root.querySelector("select");
    var enhanced = root.querySelector("[data-picker-enhanced]");
    var search = root.querySelector("[data-picker-search]");
    var results = root.querySelector("[data-picker-results]");
    var chips = root.querySelector("[data-picker-chips]");
    var status = root.querySelector("[data-picker-status]");
    var label = root.querySelector("[data-picker-label]");
    var noJsHelp = root.querySelector("[data-picker-nojs-help]");
    if (!select || !enhanced || !search || !results || !chips) { return; }
    var multiple = select.multiple;
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

    function ensureOption(item) {
      var option = optionFor(item.id);
      if (!option) {
        // Found by the search but not in the page's list: add it so it can be sent.
        option = new Option(item.name, String(item.id));
        option.setAttribute("data-detail", item.detail);
        select.appendChild(option);
      }
      return option;
    }

    function describe(option) {
      var detail = option.getAttribute("data-detail") || groupOf(option);
      return { id: option.value, name: option.text, detail: detail };
    }

    function chosen() {
      return Array.prototype.filter.call(select.options, function (o) {
        return o.selected && o.value !== "";
      });
    }

    function choose(option, on) {
      if (!multiple && on) {
        Array.prototype.forEach.call(select.options, function (o) { o.selected = false; });
      }
      option.selected = on;
      if (!multiple && !on) { select.value = ""; }
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function announce(message) {
      if (status) { status.textContent = message; }
    }

    function remove(option) {
      var item = describe(option);
      choose(option, false);
      announce(format(text("removed"), { name: item.name }));
      renderChips();
      renderResults(lastMatches);
      search.focus();
    }

    function renderChips() {
      chips.textContent = "";
      var selected = chosen();
      if (!selected.length) {
        var empty = document.createElement("li");
        empty.className = "text-muted small";
        empty.textContent = text("empty");
        chips.appendChild(empty);
        return;
      }
      selected.forEach(function (option) {
        var item = describe(option);
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-outline-primary btn-sm";
        button.setAttribute("data-chip-id", item.id);
        button.setAttribute("aria-label", text("remove") + " " + item.name);
        button.appendChild(document.createTextNode(item.name + " "));
        if (item.detail) {
          var small = document.createElement("small");
          small.className = "text-muted";
          small.textContent = item.detail + " ";
          button.appendChild(small);
        }
        var icon = document.createElement("i");
        icon.className = "bi bi-x-lg";
        icon.setAttribute("aria-hidden", "true");
        button.appendChild(icon);
        button.addEventListener("click", function () { remove(option); });
        li.appendChild(button);
        chips.appendChild(li);
      });
    }

    function renderResults(matches) {
      lastMatches = matches;
      results.textContent = "";
      matches.forEach(function (match) {
        var option = ensureOption(match);
        var li = document.createElement("li");
        li.className = "list-group-item p-0";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn w-100 text-start d-flex justify-content-between align-items-center gap-2" +
          (option.selected ? " btn-primary" : " btn-light");
        button.setAttribute("aria-pressed", option.selected ? "true" : "false");
        button.setAttribute("data-option-id", match.id);
        var name = document.createElement("span");
        name.textContent = match.name + " ";
        var detail = document.createElement("small");
        detail.className = option.selected ? "" : "text-muted";
        detail.textContent = match.detail;
        name.appendChild(detail);
        button.appendChild(name);
        var icon = document.createElement("i");
        icon.className = option.selected ? "bi bi-check-lg" : "bi bi-plus-lg";
        icon.setAttribute("aria-hidden", "true");
        button.appendChild(icon);
        button.addEventListener("click", function () {
          var on = !option.selected;
          choose(option, on);
          announce(format(text(on ? "added" : "removed"), { name: match.name }));
          renderChips();
          if (!multiple && on) {
            search.value = "";
            renderResults([]);
            search.focus();
            return;
          }
          renderResults(lastMatches);
          var again = results.querySelector('[data-option-id="' + match.id + '"]');
          if (again) { again.focus(); }
        });
        button.addEventListener("keydown", moveFocus);
        li.appendChild(button);
        results.appendChild(li);
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
        if (option.value === "") { return; }
        var item = describe(option);
        if (found.length < LOCAL_LIMIT &&
            (item.name.toLowerCase().indexOf(needle) !== -1 ||
             item.detail.toLowerCase().indexOf(needle) !== -1)) {
          found.push(item);
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
          var detail = d.detail || (d.delegation ? d.delegation.name : "") || "";
          return { id: String(d.id), name: d.name, detail: detail };
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
      } else if (event.key === "Backspace" && search.value === "") {
        var selected = chosen();
        if (selected.length) {
          event.preventDefault();
          remove(selected[selected.length - 1]);
        }
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

  document.querySelectorAll("[data-picker]").forEach(init);
})();
