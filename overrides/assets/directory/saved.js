// Saved meetings ("My meetings"), kept only in this browser's localStorage:
// nothing is sent anywhere. A save control is a toggle button (aria-pressed)
// whose label stays the same; a live region says what a press did.
// - Buttons in a page's HTML carry data-rd-save='{"slug", "name", "url"}'
//   (listing.html); result lists (near-me.js, online-now.js) make theirs with
//   RDSaved.button(entry).
// - Saved listings' data is cut into shards (offline.py): a slug's shard is
//   shardOf(slug, count), the count from data/listings/index.json.
// - Each change sends the full list of saved pages, and their data's shards,
//   to the service worker (sw.js), which keeps a copy of each for use offline.
(function () {
  "use strict";
  // FNV-1a (32 bits) of the slug's UTF-8 bytes, modulo the number of shards:
  // offline.shard_of in the build.
  function shardOf(slug, count) {
    let hash = 0x811c9dc5;
    for (const byte of new TextEncoder().encode(slug)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    return hash % count;
  }
  if (typeof module === "object" && module.exports) { // node --test (tests/js/)
    module.exports = { shardOf };
    return;
  }

  const KEY = "rd-saved-meetings";
  const DATA = "data/listings/"; // offline.LISTINGS_FOLDER
  const script = document.currentScript;
  const root = new URL("../../", script ? script.src : window.location.href); // the site's root
  const configNode = document.getElementById("rd-offline-config");
  const config = configNode ? JSON.parse(configNode.textContent) : { strings: {}, sw: false };
  const S = config.strings;
  const listeners = [];
  let status = null;
  let counted = null; // a promise of the number of shards, asked once a page

  function read() {
    try {
      const stored = JSON.parse(window.localStorage.getItem(KEY) || "null");
      return stored && Array.isArray(stored.saved) ? stored.saved : [];
    } catch (error) {
      return []; // storage switched off, or a damaged value: nothing saved
    }
  }

  function write(saved) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify({ version: 1, saved }));
    } catch (error) {
      return false;
    }
    changed();
    return true;
  }

  function isSaved(slug) {
    return read().some((entry) => entry.slug === slug);
  }

  // Saves or removes ``entry`` ({slug, name, url}); true when it is now saved.
  function toggle(entry) {
    const saved = read();
    const was = saved.some((item) => item.slug === entry.slug);
    write(was ? saved.filter((item) => item.slug !== entry.slug)
      : saved.concat([{ slug: entry.slug, name: entry.name, url: entry.url, at: Date.now() }]));
    return !was;
  }

  function remove(slug) {
    write(read().filter((item) => item.slug !== slug));
  }

  function absolute(url) {
    return new URL(url, root).href;
  }

  // How many shards the saved listings' data is cut into; asked again after a failure.
  function shardCount() {
    if (!counted) {
      counted = fetch(absolute(DATA + "index.json"))
        .then((response) => {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then((index) => index.shards);
      counted.catch(() => { counted = null; });
    }
    return counted;
  }

  // The URL of the shard holding a slug's data, the data cut in ``count``.
  function shardUrl(slug, count) {
    return absolute(DATA + shardOf(slug, count) + ".json");
  }

  // The service worker keeps a copy of every saved page and of its data's shard.
  // Without the number of shards (offline, nothing kept yet) it is told nothing:
  // it would drop the shards it has.
  function sync() {
    if (!config.sw || !("serviceWorker" in navigator)) return;
    const saved = read();
    const data = saved.length ? shardCount().then((count) => saved.map((e) => shardUrl(e.slug, count))) : Promise.resolve([]);
    Promise.all([navigator.serviceWorker.ready, data]).then(([registration, urls]) => {
      const message = { type: "rd-saved", urls: saved.map((e) => absolute(e.url)), data: Array.from(new Set(urls)) };
      if (registration.active) registration.active.postMessage(message);
    }).catch(() => {});
  }

  function changed() {
    for (const button of document.querySelectorAll("button[data-rd-save]")) refresh(button);
    for (const listener of listeners) listener();
    sync();
  }

  function refresh(button) {
    const entry = JSON.parse(button.getAttribute("data-rd-save"));
    button.setAttribute("aria-pressed", isSaved(entry.slug) ? "true" : "false");
  }

  function say(text) {
    if (!status) {
      status = document.createElement("p");
      status.className = "rd-visually-hidden";
      status.setAttribute("role", "status");
      document.body.append(status);
    }
    status.textContent = "";
    window.setTimeout(() => { status.textContent = text; }, 50); // a repeated message is read again
  }

  function press(button) {
    const entry = JSON.parse(button.getAttribute("data-rd-save"));
    const now = toggle(entry);
    say((now ? S.saved_js_added : S.saved_js_removed).replace("{name}", entry.name));
  }

  function attach(button) {
    if (button.dataset.rdSaveReady) return;
    button.dataset.rdSaveReady = "yes";
    refresh(button);
    button.addEventListener("click", () => press(button));
    const holder = button.closest(".rd-save");
    if (holder) holder.hidden = false;
  }

  // A save button for a result list: {slug, name, url (from the site's root)}.
  function button(entry) {
    const node = document.createElement("button");
    node.type = "button";
    node.className = "md-button rd-save__button";
    node.textContent = S.saved_js_save;
    node.setAttribute("data-rd-save", JSON.stringify({ slug: entry.slug, name: entry.name, url: entry.url }));
    attach(node);
    return node;
  }

  window.RDSaved = { read, isSaved, toggle, remove, button, sync, root, shardOf, shardCount, shardUrl, onChange: (fn) => listeners.push(fn) };
  window.addEventListener("storage", (event) => {
    if (event.key === KEY) changed();
  });
  for (const node of document.querySelectorAll("button[data-rd-save]")) attach(node);
})();
