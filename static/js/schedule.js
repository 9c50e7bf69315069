// The schedule preview: a month's box ticks or unticks every date of that month, and the
// "Create these N meetings" button counts the dates still ticked. Without this file each
// date's own box still works; the month boxes stay hidden.
(function () {
  "use strict";
  var button = document.querySelector("[data-schedule-create]");

  function dates(group) {
    var selector = 'input[name="keep"]:not([disabled])';
    if (group) { selector += '[data-group="' + group + '"]'; }
    return Array.prototype.slice.call(document.querySelectorAll(selector));
  }

  function refresh() {
    document.querySelectorAll("[data-select-group]").forEach(function (month) {
      var own = dates(month.getAttribute("data-select-group"));
      var ticked = own.filter(function (box) { return box.checked; }).length;
      month.checked = ticked > 0;
      month.indeterminate = ticked > 0 && ticked < own.length;
      month.disabled = own.length === 0;
    });
    if (!button) { return; }
    var n = dates().filter(function (box) { return box.checked; }).length;
    button.textContent = n === 1
      ? button.getAttribute("data-one")
      : button.getAttribute("data-many").replace("{n}", String(n));
    button.disabled = n === 0;
  }

  document.querySelectorAll("[data-select-group]").forEach(function (month) {
    month.hidden = false;
  });
  document.addEventListener("change", function (event) {
    var box = event.target;
    var group = box.getAttribute && box.getAttribute("data-select-group");
    if (group) {
      dates(group).forEach(function (other) { other.checked = box.checked; });
    }
    if (group || box.name === "keep") { refresh(); }
  });
  refresh();
})();
