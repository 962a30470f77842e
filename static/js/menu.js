// The main menu's button on narrow screens: all that Bootstrap's JavaScript
// (80 KB with Popper) did on the public pages.
(function () {
  "use strict";
  const button = document.querySelector("[data-menu-toggle]");
  const menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  button.addEventListener("click", () => {
    const open = menu.classList.toggle("show");
    button.setAttribute("aria-expanded", String(open));
    button.classList.toggle("collapsed", !open);
  });
})();
