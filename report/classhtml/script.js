"use strict";
// Sorting and filtering of the students' table; the page reads fine without.
(function () {
  var table = document.getElementById("roster");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filter = document.getElementById("filter");
  var show = document.getElementById("show");
  var shown = document.getElementById("shown");

  function value(row, i, numeric) {
    var v = row.cells[i].getAttribute("data-sort") || "";
    return numeric ? parseFloat(v) || 0 : v;
  }

  function sortBy(th) {
    var i = th.cellIndex;
    var numeric = th.getAttribute("data-type") === "num";
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
    var sign = dir === "ascending" ? 1 : -1;
    rows.sort(function (a, b) {
      var x = value(a, i, numeric), y = value(b, i, numeric);
      var c = numeric ? x - y : String(x).localeCompare(String(y));
      return c !== 0 ? sign * c : value(a, 0, false).localeCompare(value(b, 0, false));
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  function apply() {
    var q = filter.value.trim().toLowerCase();
    var kind = show.value;
    var n = 0;
    rows.forEach(function (r) {
      var ok = r.getAttribute("data-name").indexOf(q) >= 0 &&
        (kind === "all" || r.getAttribute("data-kind") === kind ||
         (kind === "partial" && r.getAttribute("data-kind") === "error"));
      r.hidden = !ok;
      if (ok) { n++; }
    });
    shown.textContent = n + " of " + rows.length + " shown";
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    th.addEventListener("click", function () { sortBy(th); });
  });
  filter.addEventListener("input", apply);
  show.addEventListener("change", apply);
}());
