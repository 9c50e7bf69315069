// The formation review board (templates/cohorts/formation/_board.html).
// Every person on the board has a small "Move…" form (or, on very large boards, a link that
// opens it) that works with the keyboard and without JavaScript; this file adds dragging a
// person onto another group: the drop fills the board's hidden #drop-move form with the
// person and the group and submits it, so htmx posts it and swaps in the new board, exactly
// as a keyboard move does. It also
// - highlights the group under the person being dragged,
// - reads out what happened (the board's data-announce, or its error) in an aria-live region,
// - puts the focus back where it was (or on the person just moved) after the board is swapped.
(function () {
  "use strict";

  var dragged = null; // the <li> of the person being dragged
  var focusAfterSwap = null; // the id of the element to focus once the new board is in

  // Drag events may name a text node as their target; its element is what counts.
  function elementOf(node) {
    return node && node.nodeType === 3 ? node.parentElement : node;
  }

  function boardOf(elt) {
    return elt && elt.closest ? elt.closest("#board") : null;
  }

  function groupOf(elt) {
    elt = elementOf(elt);
    return elt && elt.closest ? elt.closest("[data-group]") : null;
  }

  function clearHighlight() {
    document.querySelectorAll(".formation-drop-target").forEach(function (card) {
      card.classList.remove("formation-drop-target");
    });
  }

  function announce(text) {
    var live = document.getElementById("board-live");
    if (!live || !text) { return; }
    // Emptied first so that the same words twice are read out twice.
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  function submit(form) {
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else if (window.htmx) {
      window.htmx.trigger(form, "submit");
    } else {
      form.submit();
    }
  }

  document.addEventListener("dragstart", function (event) {
    var start = elementOf(event.target);
    var item = start && start.closest ? start.closest("[data-participant]") : null;
    if (!item || !boardOf(item)) { return; }
    dragged = item;
    item.classList.add("formation-dragging");
    event.dataTransfer.effectAllowed = "move";
    // Firefox starts a drag only with some data set.
    event.dataTransfer.setData("text/plain", item.getAttribute("data-name") || "");
  });

  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("formation-dragging"); }
    dragged = null;
    clearHighlight();
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) { return; }
    var card = groupOf(event.target);
    if (!card || card.contains(dragged)) { return; }
    event.preventDefault(); // allows the drop
    event.dataTransfer.dropEffect = "move";
    if (!card.classList.contains("formation-drop-target")) {
      clearHighlight();
      card.classList.add("formation-drop-target");
    }
  });

  document.addEventListener("dragleave", function (event) {
    var card = groupOf(event.target);
    if (card && !card.contains(event.relatedTarget)) {
      card.classList.remove("formation-drop-target");
    }
  });

  document.addEventListener("drop", function (event) {
    if (!dragged) { return; }
    var card = groupOf(event.target);
    clearHighlight();
    if (!card || card.contains(dragged)) { return; }
    event.preventDefault();
    // One hidden form posts every drop, as the person's own "Move…" form would.
    var form = document.getElementById("drop-move");
    if (!form) { return; }
    form.elements.participant.value = dragged.getAttribute("data-participant");
    form.elements.group.value = card.getAttribute("data-group");
    focusAfterSwap = dragged.id;
    submit(form);
  });

  // Where the focus goes after the board is swapped: the control that sent the request if
  // it is still there (a name field, the lock form), else the person just moved.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (!boardOf(elt) && !(elt.getAttribute && elt.getAttribute("hx-target") === "#board")) {
      return;
    }
    if (focusAfterSwap) { return; } // a drop chose already
    var active = document.activeElement;
    if (elt.hasAttribute && elt.hasAttribute("data-move-form")) {
      var item = elt.closest("[data-participant]");
      focusAfterSwap = item ? item.id : null;
    } else if (active && active.id) {
      focusAfterSwap = active.id;
    } else {
      focusAfterSwap = fieldOrHeadingOf(elt, active);
    }
  });

  // A button without an id sent the request (Add the lock, Save the name, Remove, Add a
  // group): after the swap the focus goes to the first field of its form, or else to the
  // heading of its part of the board, so it is not lost to the top of the page.
  function fieldOrHeadingOf(elt, active) {
    var form = (active && active.form) || (elt.tagName === "FORM" ? elt : elt.closest && elt.closest("form"));
    var field = form ? form.querySelector("input[id]:not([type=hidden]), select[id], textarea[id]") : null;
    if (field) { return field.id; }
    var part = form && form.closest ? form.closest("[aria-labelledby]") : null;
    if (part && boardOf(part)) { return part.getAttribute("aria-labelledby"); }
    return "groups-heading";
  }

  // After an outerHTML swap the event's target is the old board; the new one has its id.
  document.addEventListener("htmx:afterSettle", function (event) {
    var old = event.detail.target;
    var board = document.getElementById("board");
    if (!board || !old || old.id !== "board") { return; }
    var error = board.getAttribute("data-error");
    announce(error || board.getAttribute("data-announce"));
    var target = error ? document.getElementById("board-error") : null;
    if (!target && focusAfterSwap) { target = document.getElementById(focusAfterSwap); }
    focusAfterSwap = null;
    if (target) {
      if (!target.hasAttribute("tabindex") && !/^(INPUT|SELECT|BUTTON|A|TEXTAREA)$/.test(target.tagName)) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
    }
  });

  document.addEventListener("htmx:responseError", function () {
    focusAfterSwap = null;
    var live = document.getElementById("board-live");
    announce(live ? live.getAttribute("data-failed") : "");
  });
})();
