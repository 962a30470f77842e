// Registers the service worker that lets the portal open offline (see /sw.js),
// and marks reports filed from the installed app, so statistics count the channel.
if ("serviceWorker" in navigator) {
  const url = document.currentScript.dataset.sw;
  window.addEventListener("load", () => {
    navigator.serviceWorker.register(url, { scope: "/" }).catch(() => {
      // No service worker (private mode, old browser): the portal works online.
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const installed = window.matchMedia("(display-mode: standalone)").matches ||
    window.navigator.standalone === true;
  const form = document.querySelector("form[data-draft-form]");
  if (!installed || !form) return;
  const channel = document.createElement("input");
  channel.type = "hidden";
  channel.name = "kenh";
  channel.value = "app";
  form.append(channel);
});
