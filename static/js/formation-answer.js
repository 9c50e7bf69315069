// The formation round page (templates/cohorts/formation/answer.html) and staff's paper-entry
// page: a filter box over the list of people in a speed-matching round, and the count of
// people marked. Without JavaScript the whole list shows and the count is the server's.
(function () {
  "use strict";

  function plain(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function checkboxes(scope) {
    return Array.prototype.slice.call(
      scope.querySelectorAll('input[type="checkbox"][name="choices"]')
    );
  }

  function setUpFilter(box) {
    var scope = box.closest("form") || document;
    var input = box.querySelector("[data-formation-filter-input]");
    var none = box.querySelector("[data-formation-filter-none]");
    var rows = checkboxes(scope).map(function (checkbox) {
      var row = checkbox.closest(".form-check") || checkbox.parentNode;
      return { row: row, checkbox: checkbox, text: plain(row.textContent) };
    });
    if (!input || !rows.length) { return; }
    box.hidden = false;

    function apply() {
      var words = plain(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (item) {
        var match = words.every(function (word) { return item.text.indexOf(word) !== -1; });
        item.row.hidden = !match;
        if (match) { shown += 1; }
      });
      if (none) { none.hidden = shown !== 0; }
    }

    input.addEventListener("input", apply);
    // Enter in the filter box should not send the form half-done.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
  }

  function setUpCount(line) {
    var scope = line.closest("section") || document;
    var boxes = checkboxes(scope);
    if (!boxes.length) { return; }
    function update() {
      var n = boxes.filter(function (box) { return box.checked; }).length;
      if (n === 0) {
        line.textContent = line.getAttribute("data-none");
      } else if (n === 1) {
        line.textContent = line.getAttribute("data-one");
      } else {
        line.textContent = (line.getAttribute("data-many") || "").replace("{n}", String(n));
      }
    }
    boxes.forEach(function (box) { box.addEventListener("change", update); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-formation-filter]").forEach(setUpFilter);
    document.querySelectorAll("[data-formation-count]").forEach(setUpCount);
    // After a save with something to fix, take the reader to the list of what to fix.
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
