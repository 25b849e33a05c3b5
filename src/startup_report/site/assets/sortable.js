/* Sort a report table (class "sr-sortable") by the clicked header: numbers by value ("$74,800", "12.3 %",
   "−3.0" read as numbers), other cells as words; a second click reverses. No dependencies, no network. */
(function () {
  "use strict";
  function value(cell) {
    var text = cell.textContent.trim();
    var number = text.replace(/[$,%\s]|m$/g, "").replace("−", "-").replace("∞", "Infinity");
    return number !== "" && !isNaN(Number(number)) ? Number(number) : text.toLowerCase();
  }
  function compare(a, b) {
    if (a === "—") return 1;
    if (b === "—") return -1;
    if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
    return typeof a === "number" ? -1 : 1;
  }
  function enable(table) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (th, column) {
      th.setAttribute("role", "button");
      th.setAttribute("tabindex", "0");
      th.title = "Sort by this column";
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var order = compare(value(r1.cells[column]), value(r2.cells[column]));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  }
  function init() { document.querySelectorAll("table.sr-sortable").forEach(enable); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
