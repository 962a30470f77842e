// Service worker of the portal: keeps the app shell so pages open offline.
// Served from /sw.js (scope "/") by portal/pwa.py; the version changes with the shell.
const VERSION = "{{ version }}";
const CACHE = "portal-shell-" + VERSION;
const OFFLINE_URL = {{ offline_url|safe }};
const PRECACHE = {{ precache|safe }};
const STATIC_PREFIX = {{ static_prefix|safe }};
// Never cached: officials' pages, the API, captcha images, downloads.
const NETWORK_ONLY = ["/admin/", "/open311/", "/captcha/", "/tai-khoan/"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // Without cookies: the cached pages are the anonymous ones, so no personal
      // data of a logged-in citizen ends up in the cache.
      cache.addAll(PRECACHE.map((url) => new Request(url, { credentials: "omit" })))
    ).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(
      names.filter((name) => name.startsWith("portal-shell-") && name !== CACHE)
        .map((name) => caches.delete(name))
    )).then(() => self.clients.claim())
  );
});

async function fromNetworkOrCache(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const cache = await caches.open(CACHE);
    return (await cache.match(request, { ignoreSearch: true })) ||
      (await cache.match(OFFLINE_URL));
  }
}

async function fromCacheOrNetwork(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (NETWORK_ONLY.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (request.mode === "navigate") {
    event.respondWith(fromNetworkOrCache(request));
  } else if (url.pathname.startsWith(STATIC_PREFIX) || PRECACHE.includes(url.pathname)) {
    event.respondWith(fromCacheOrNetwork(request));
  }
});
