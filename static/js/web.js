// The web of needs and expertise: "Download PNG" and "Print" (no inline script: the CSP
// forbids it). The PNG is drawn from the page's own SVG: serialized, loaded into an Image
// from a data: URL (the CSP's img-src allows data:), painted on a canvas, saved as a file.
(function () {
  "use strict";

  var SCALE = 2; // twice the picture's size, so the PNG stays sharp when printed or zoomed

  function say(button, text) {
    var status = document.querySelector("[data-web-status]");
    if (status) { status.textContent = text; }
    if (button) { button.disabled = false; }
  }

  function save(blob, filename) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function downloadPng(button) {
    var holder = document.getElementById(button.getAttribute("data-web-png"));
    var svg = holder && holder.querySelector("svg");
    if (!svg) { return; }
    var box = svg.viewBox.baseVal;
    var width = Math.ceil(box.width), height = Math.ceil(box.height);
    var copy = svg.cloneNode(true);
    copy.setAttribute("width", width);
    copy.setAttribute("height", height);
    var source = new XMLSerializer().serializeToString(copy);
    var image = new Image();
    button.disabled = true;
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = width * SCALE;
      canvas.height = height * SCALE;
      var context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        if (!blob) { say(button, "The PNG could not be made; download the SVG instead."); return; }
        save(blob, button.getAttribute("data-filename") || "web.png");
        say(button, "PNG saved.");
      }, "image/png");
    };
    image.onerror = function () { say(button, "The PNG could not be made; download the SVG instead."); };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(source);
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-web-png], [data-print]");
    if (!target) { return; }
    if (target.hasAttribute("data-print")) {
      window.print();
    } else {
      downloadPng(target);
    }
  });
})();
