// The action plan's part page (templates/planning/plans/part.html): the form autosaves with
// htmx (hx-post on the form; the reply swaps the status line and, out of band, the hidden
// revision the next save starts from). This file adds what the server cannot do:
// - "Saving…" while a save is on its way, and a message when it never arrives;
// - a warning before leaving the page with changes that are not saved yet;
// - no autosave after a conflict (the person compares the two versions first);
// - the Save button waits for an autosave on its way, so both start from the same revision.
(function () {
  "use strict";

  var edits = 0; // changes typed so far
  var savedEdits = 0; // how many of them the last successful save included
  var sentEdits = 0; // how many of them the save on its way includes
  var pending = 0; // autosaves on their way
  var submitting = false;
  var halted = false; // a conflict: stop autosaving until the person has compared
  var waitingSubmitter = null;

  function autosaveForm(elt) {
    return elt && elt.closest ? elt.closest("form[data-autosave]") : null;
  }

  function statusOf(form) {
    var selector = form.getAttribute("hx-target");
    return selector ? document.querySelector(selector) : null;
  }

  function say(form, text, className) {
    var status = statusOf(form);
    if (!status) { return; }
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    status.replaceChildren(span);
  }

  // A change not saved yet: the status stops saying "Saved" at once (the save itself
  // follows a second after the typing stops).
  function noteEdit(event) {
    var form = autosaveForm(event.target);
    if (!form) { return; }
    edits += 1;
    if (!halted) {
      say(form, form.getAttribute("data-saving") || "Saving…", "text-body-secondary");
    }
  }
  // Every control fires "input" for a change (a "change" follows for some, and adds
  // nothing). Capture phase: counted before htmx, on the form, starts a save with it.
  document.addEventListener("input", noteEdit, true);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (!form) { return; }
    if (halted || submitting) {
      event.preventDefault();
      return;
    }
    pending += 1;
    sentEdits = edits;
    say(form, form.getAttribute("data-saving") || "Saving…", "text-body-secondary");
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (!form) { return; }
    pending = Math.max(0, pending - 1);
    var xhr = event.detail.xhr;
    var body = (xhr && xhr.responseText) || "";
    if (event.detail.successful) {
      if (body.indexOf('data-save-state="saved"') !== -1) {
        savedEdits = Math.max(savedEdits, sentEdits);
        if (edits > savedEdits) {
          // Typed on while this save was on its way: the next save is coming.
          say(form, form.getAttribute("data-saving") || "Saving…", "text-body-secondary");
        }
      } else if (body.indexOf('data-save-state="conflict"') !== -1) {
        halted = true;
      }
    }
    if (pending === 0 && waitingSubmitter !== null) {
      var submitter = waitingSubmitter;
      waitingSubmitter = null;
      form.requestSubmit(submitter === true ? undefined : submitter);
    }
  });

  function notSaved(event) {
    var form = autosaveForm(event.detail.elt);
    if (!form) { return; }
    say(form, form.getAttribute("data-not-saved") || "Not saved: check your connection.", "save-error");
  }
  document.addEventListener("htmx:sendError", notSaved);
  document.addEventListener("htmx:responseError", notSaved);

  // The Save buttons post the whole form. An autosave still on its way would move the
  // revision on under it; wait for it, then submit.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-autosave")) { return; }
    if (pending > 0) {
      event.preventDefault();
      waitingSubmitter = event.submitter || true;
      return;
    }
    submitting = true;
  });

  window.addEventListener("beforeunload", function (event) {
    if (submitting || edits === savedEdits || !document.querySelector("form[data-autosave]")) {
      return;
    }
    event.preventDefault();
    event.returnValue = "";
  });

  // A group of rows (goals, roles): show the filled rows and one empty row below them;
  // typing in the last shown row brings out the next. Without JavaScript every row shows.
  function isEmpty(row) {
    var inputs = row.querySelectorAll("input, select, textarea");
    return Array.prototype.every.call(inputs, function (input) {
      return input.type === "checkbox" || input.type === "radio" ? !input.checked : !input.value;
    });
  }

  function setUpGroup(group) {
    var rows = Array.prototype.slice.call(group.querySelectorAll("[data-group-row]"));
    var lastFilled = -1;
    rows.forEach(function (row, index) { if (!isEmpty(row)) { lastFilled = index; } });
    rows.forEach(function (row, index) { row.hidden = index > lastFilled + 1; });
    group.addEventListener("input", function (event) {
      var row = event.target.closest("[data-group-row]");
      var index = rows.indexOf(row);
      if (index !== -1 && index + 1 < rows.length && !isEmpty(row)) {
        rows[index + 1].hidden = false;
      }
    });
  }

  // Back from a plain Save with something to fix: go to the list of what to fix.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-group]").forEach(setUpGroup);
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
