// Reply templates on the report desk: picking one fills the answer or reason box,
// which the official then edits. Asks before replacing text already typed.
(function () {
  "use strict";
  document.querySelectorAll("select[data-fill-target]").forEach(function (select) {
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      var target = document.getElementById(select.dataset.fillTarget);
      if (!target || !option || !option.dataset.text) {
        return;
      }
      if (target.value.trim() && target.value !== option.dataset.text &&
          !window.confirm(select.dataset.confirm || "Thay nội dung đang nhập bằng mẫu này?")) {
        return;
      }
      target.value = option.dataset.text;
      target.focus();
    });
  });
})();
