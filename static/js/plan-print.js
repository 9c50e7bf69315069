// The printable action plan: <button data-plan-print> opens the browser's print dialog.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-plan-print]");
    if (!button) { return; }
    event.preventDefault();
    window.print();
  });
})();
