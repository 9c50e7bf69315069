// The question form of the survey builder: show only the fields that serve the chosen type.
// <form data-question-form> holds a <select name="kind"> and wrappers marked
// data-show-for="single multiple ..."; without this script every field stays visible (each
// says in its help text which types it is for), and the server ignores the ones that do not
// apply.
(function () {
  "use strict";

  function update(form) {
    var kind = form.querySelector('select[name="kind"]');
    if (!kind) { return; }
    form.querySelectorAll("[data-show-for]").forEach(function (wrapper) {
      var kinds = wrapper.getAttribute("data-show-for").split(" ");
      wrapper.hidden = kinds.indexOf(kind.value) === -1;
    });
  }

  function init() {
    document.querySelectorAll("form[data-question-form]").forEach(function (form) {
      update(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "kind") { update(form); }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
