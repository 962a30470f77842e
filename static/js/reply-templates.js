// Reply templates on the report desk: picking one fills the answer or reason box,
// which the official then edits. Asks before replacing text already typed.
// Loaded in the admin's <head>: wait for the page before looking for the pickers.
(function () {
  "use strict";
  function setUp() {
    document.querySelectorAll("select[data-fill-target]").forEach(function (select) {
      select.addEventListener("change", function () {
        var option = select.options[select.selectedIndex];
        var target = document.getElementById(select.dataset.fillTarget);
        if (!target || !option || !option.dataset.text) {
          return;
        }
        if (target.value.trim() && target.value !== option.dataset.text &&
            !window.confirm(select.dataset.confirm)) {
          return;
        }
        target.value = option.dataset.text;
        target.focus();
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
