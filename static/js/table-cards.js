// Tables marked table-cards turn into one card per row on a phone (static/css/app.css):
// each cell shows its column's name, copied here from the table's header, so that
// templates only add the class.
(function () {
  "use strict";
  function label(th) {
    var explicit = th.getAttribute("data-label");
    return explicit !== null ? explicit : th.textContent.replace(/\s+/g, " ").trim();
  }
  // A box that scrolls sideways takes the focus, so the keyboard can scroll it.
  document.querySelectorAll(".table-responsive").forEach(function (box) {
    if (!box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); }
  });
  document.querySelectorAll("table.table-cards").forEach(function (table) {
    var headerRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!headerRow) { return; }
    var labels = [];
    Array.prototype.forEach.call(headerRow.cells, function (th) {
      var span = th.colSpan || 1;
      for (var i = 0; i < span; i += 1) { labels.push(label(th)); }
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label") && cell.colSpan === 1) {
            cell.setAttribute("data-label", labels[column] || "");
          }
          column += cell.colSpan || 1;
        });
      });
    });
  });
})();
