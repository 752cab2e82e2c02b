{#- The service worker, rendered into the site's root as sw.js (offline.py) with
    the files to keep for offline use; not copied as is. Every strategy is
    Workbox's, loaded from the site's own copy (vendor.py), never a CDN. -#}
// Recovery Directory service worker: built {{ config.build }}.
// - The offline core (My meetings, its scripts and the index of its data,
//   search and near me's pages) is precached, each file by its content hash: a
//   new build replaces what changed the next time this device is online.
// - Pages are network first: online, always the newest build; offline, or
//   slower than a few seconds, the copy from the last visit. At most
//   pages_limit pages, least recently used dropped first, none older than pages_max_age.
// - Saved listings ("My meetings", saved.js) are kept in a cache of their own,
//   so browsing never evicts them; at most saved_limit; with them, the shards
//   of data/listings/ that hold their data (never the whole directory's).
// Nothing here sends anything anywhere: only this site's own files are fetched.
"use strict";
const CONFIG = {{ config | tojson }};
importScripts(CONFIG.workbox + "workbox-sw.js");
workbox.setConfig({ modulePathPrefix: CONFIG.workbox, debug: false });

const { precaching, routing, strategies, expiration, core } = workbox;
const SCOPE = self.registration.scope;
const PAGES = "rd-pages " + SCOPE; // one per language folder: each build keeps its own
const SAVED = "rd-saved " + SCOPE;
const ASSETS = "rd-assets " + SCOPE;

core.skipWaiting();
core.clientsClaim();
precaching.cleanupOutdatedCaches();
precaching.precacheAndRoute(CONFIG.precache);

// A page fetched from the network also refreshes its saved copy.
const refreshSaved = {
  fetchDidSucceed: async ({ request, response }) => {
    if (response.ok) {
      const saved = await caches.open(SAVED);
      if (await saved.match(request.url)) await saved.put(request.url, response.clone());
    }
    return response;
  },
};

const pages = new strategies.NetworkFirst({
  cacheName: PAGES,
  networkTimeoutSeconds: CONFIG.network_timeout,
  plugins: [
    refreshSaved,
    new expiration.ExpirationPlugin({ maxEntries: CONFIG.pages_limit, maxAgeSeconds: CONFIG.pages_max_age, purgeOnQuotaError: true }),
  ],
});

function sameSite(url) {
  return url.href.startsWith(SCOPE);
}

routing.registerRoute(
  ({ request, url }) => request.mode === "navigate" && sameSite(url),
  async (options) => {
    try {
      return await pages.handle(options);
    } catch (error) {
      const saved = await caches.match(options.request.url, { cacheName: SAVED });
      if (saved) return saved;
      throw error;
    }
  },
);

// The theme's and the directory's scripts, styles, icons and fonts: assets/
// only (not Pagefind's index, which is too large to keep), nothing else.
routing.registerRoute(
  ({ url }) => url.href.startsWith(SCOPE + "assets/"),
  new strategies.StaleWhileRevalidate({
    cacheName: ASSETS,
    plugins: [new expiration.ExpirationPlugin({ maxEntries: CONFIG.assets_limit, purgeOnQuotaError: true })],
  }),
);

// The saved listings' data, as My meetings asks for it (a shard of
// data/listings/; its index is precached): network first, kept with the saved
// pages, so the copy keepSaved made answers offline.
routing.registerRoute(
  ({ url }) => url.href.startsWith(SCOPE + CONFIG.listings),
  new strategies.NetworkFirst({ cacheName: SAVED, networkTimeoutSeconds: CONFIG.network_timeout }),
);

// saved.js sends the full list of saved listing URLs, and of the shards holding
// their data, whenever it changes or a page opens online: keep each one, drop
// what is no longer saved.
async function keepSaved(urls, data) {
  const cache = await caches.open(SAVED);
  const kept = (list) => list.filter((u) => sameSite(new URL(u))).slice(0, CONFIG.saved_limit);
  const wanted = new Set(kept(data).concat(kept(urls)));
  for (const request of await cache.keys()) {
    if (!wanted.has(request.url)) await cache.delete(request);
  }
  for (const url of wanted) {
    if (await cache.match(url)) continue;
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.ok) await cache.put(url, response);
    } catch (error) {
      // offline: kept the next time
    }
  }
}

// A new build: fetch every saved listing and shard again, so none stays stale.
async function refreshAllSaved() {
  const cache = await caches.open(SAVED);
  for (const request of await cache.keys()) {
    try {
      const response = await fetch(request.url, { credentials: "same-origin", cache: "no-cache" });
      if (response.ok) await cache.put(request.url, response);
    } catch (error) {
      return; // offline: the copies stay as they are
    }
  }
}

self.addEventListener("activate", (event) => event.waitUntil(refreshAllSaved()));

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "rd-saved" && Array.isArray(data.urls)) {
    const done = keepSaved(data.urls.map(String), Array.isArray(data.data) ? data.data.map(String) : []);
    event.waitUntil(done);
    done.then(() => event.source && event.source.postMessage({ type: "rd-saved-kept" }));
  }
});
