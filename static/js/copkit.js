// copkit's small behaviours, wired by data attributes (no inline script: the CSP forbids it).
(function () {
  "use strict";

  // <form data-confirm="Are you sure?">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    // A button may ask its own question (Remove), before the form's (if any).
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // <input type="checkbox" data-select-all="name">: tick or untick every checkbox of that name.
  document.addEventListener("change", function (event) {
    var box = event.target;
    var name = box.getAttribute && box.getAttribute("data-select-all");
    if (!name) { return; }
    document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (other) {
      other.checked = box.checked;
    });
  });

  // Once a person submits an ordinary form, the page is on its way out: polls (hx-trigger
  // "every 1s") neither start nor act on their answer, so a poll that answers "reload"
  // (HX-Refresh) cannot abort the page the person asked for. A form that leads nowhere (a
  // download) lets the polls go on after a while. On window, so it runs after every
  // document-level submit handler: a submit that one of them holds back (the plan page
  // waits for an autosave on its way, whose answer must still land) is not a departure.
  var leavingUntil = 0;
  window.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) { leavingUntil = Date.now() + 15000; }
  });
  window.addEventListener("pageshow", function () { leavingUntil = 0; });
  function holdWhileLeaving(event) {
    if (Date.now() < leavingUntil) { event.preventDefault(); }
  }
  document.addEventListener("htmx:beforeRequest", holdWhileLeaving);
  document.addEventListener("htmx:beforeOnLoad", holdWhileLeaving);

  // <body data-cohort-closed="...">: the cohort is read-only, so the page's own write buttons
  // are disabled (the server refuses the write anyway; this only spares a wasted click).
  // A form marked data-allowed-when-closed (reopening the cohort) keeps its button.
  document.addEventListener("DOMContentLoaded", function () {
    var why = document.body.getAttribute("data-cohort-closed");
    if (!why) { return; }
    document.querySelectorAll("#main form").forEach(function (form) {
      if ((form.getAttribute("method") || "get").toLowerCase() !== "post") { return; }
      if (form.hasAttribute("data-allowed-when-closed")) { return; }
      form.querySelectorAll("button, input[type=submit]").forEach(function (button) {
        if (button.type !== "submit") { return; }
        button.disabled = true;
        button.title = why;
      });
    });
  });
})();
