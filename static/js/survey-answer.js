// The survey page (templates/planning/answer/form.html): each question autosaves with htmx
// and the server's reply ("Saved" or a message) lands in the question's status line. This
// file only covers what the server cannot say: a save that never reached it.
(function () {
  "use strict";

  function statusOf(event) {
    var elt = event.detail && event.detail.elt;
    var selector = elt && elt.getAttribute && elt.getAttribute("hx-target");
    return selector ? document.querySelector(selector) : null;
  }

  function notSaved(event) {
    var status = statusOf(event);
    if (!status) { return; }
    var message = document.createElement("span");
    message.className = "save-error";
    message.textContent = status.closest("form").getAttribute("data-not-saved") ||
      "Not saved: check your connection.";
    status.replaceChildren(message);
  }

  document.addEventListener("htmx:sendError", notSaved);
  document.addEventListener("htmx:responseError", notSaved);

  // After a submit with answers missing, take the reader to the list of what to fix.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
