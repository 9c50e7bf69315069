// The workspace's message box: as you type, say whom the post will email because you wrote
// @ and their name (the same rule as planning/workspace/mentions.py: the longest full name
// wins, any letter case; a name two members share mentions nobody). Without this file the
// post is still checked and the page says whom it emailed after posting.
(function () {
  "use strict";
  var box = document.querySelector("textarea[data-mention-names]");
  var preview = document.querySelector("[data-mention-preview]");
  if (!box || !preview) { return; }
  var names = JSON.parse(box.getAttribute("data-mention-names"));

  function key(text) { return text.toLowerCase().split(/\s+/).filter(Boolean).join(" "); }

  var byName = {};
  names.forEach(function (name) {
    var k = key(name);
    (byName[k] = byName[k] || []).push(name);
  });
  var keys = Object.keys(byName).sort(function (a, b) { return b.length - a.length; });

  function found(text) {
    var lower = text.toLowerCase();
    var seen = [], shared = [];
    for (var i = 0; i < lower.length; i++) {
      if (lower[i] !== "@" || (i > 0 && /[\w@]/.test(lower[i - 1]))) { continue; }
      var rest = key(lower.slice(i + 1, i + 301));
      for (var j = 0; j < keys.length; j++) {
        var name = keys[j];
        var next = rest.charAt(name.length);
        if (rest.indexOf(name) === 0 && !/[\w]/.test(next)) {
          var list = byName[name].length > 1 ? shared : seen;
          if (list.indexOf(byName[name][0]) < 0) { list.push(byName[name][0]); }
          break;
        }
      }
    }
    return { seen: seen, shared: shared };
  }

  function refresh() {
    var result = found(box.value);
    var parts = [];
    if (result.seen.length) {
      parts.push(preview.getAttribute("data-emails").replace("{names}", result.seen.join(", ")));
    }
    if (result.shared.length) {
      parts.push(preview.getAttribute("data-shared").replace("{names}", result.shared.join(", ")));
    }
    preview.textContent = parts.join(" ");
    preview.hidden = parts.length === 0;
  }

  box.addEventListener("input", refresh);
  refresh();
})();
