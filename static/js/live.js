// The live poll presenter's keys, for a keyboard or a presentation clicker: Right arrow or
// Page Down next, Left arrow or Page Up previous, R reveal or hide. Each key clicks the
// button marked data-live-key, so the page works the same without this file.
(function () {
  "use strict";
  var KEYS = {
    ArrowRight: "next",
    PageDown: "next",
    ArrowLeft: "previous",
    PageUp: "previous",
    r: "reveal",
    R: "reveal"
  };
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) { return; }
    var target = event.target;
    if (target.closest && target.closest("input, select, textarea, [contenteditable]")) { return; }
    var name = KEYS[event.key];
    var button = name && document.querySelector('[data-live-key="' + name + '"]');
    if (!button || button.disabled) { return; }
    event.preventDefault();
    button.click();
  });

  // The full-screen view's "Fill the screen" button: the browser's own full screen, offered
  // only where the browser allows it (the page is already free of navigation without it).
  var fill = document.querySelector("[data-live-fullscreen]");
  if (fill && document.fullscreenEnabled) {
    fill.hidden = false;
    fill.addEventListener("click", function () {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else {
        document.documentElement.requestFullscreen();
      }
    });
  }
})();
