// Registers the service worker that lets the portal open offline (see /sw.js).
if ("serviceWorker" in navigator) {
  const url = document.currentScript.dataset.sw;
  window.addEventListener("load", () => {
    navigator.serviceWorker.register(url, { scope: "/" }).catch(() => {
      // No service worker (private mode, old browser): the portal works online.
    });
  });
}
