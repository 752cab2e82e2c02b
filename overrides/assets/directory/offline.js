// The service worker (sw.js, built with Workbox) and the offline notice.
// - With extra.directory.service_worker on, registers /sw.js for the whole site;
//   off, unregisters a worker an earlier build left, so no worker stays.
// - With no connection, says so above the page, with the date the page was
//   built; on search and near-me pages, that they need a connection, and
//   that saved meetings still open.
(function () {
  "use strict";
  const script = document.currentScript;
  const configNode = document.getElementById("rd-offline-config");
  const notice = document.querySelector(".rd-offline");
  if (!script || !configNode) return;
  const config = JSON.parse(configNode.textContent);
  const S = config.strings;
  const root = new URL("../../", script.src);

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  }

  function worker() {
    if (!("serviceWorker" in navigator)) return;
    const url = new URL("sw.js", root);
    if (config.sw) {
      navigator.serviceWorker.register(url.href).then(() => {
        if (window.RDSaved) window.RDSaved.sync();
      }).catch(() => {});
    } else {
      navigator.serviceWorker.getRegistrations().then((registrations) => {
        for (const registration of registrations) {
          if (registration.scope === root.href) registration.unregister();
        }
      });
    }
  }

  function update() {
    if (!notice) return;
    if (navigator.onLine) {
      notice.hidden = true;
      notice.replaceChildren();
      return;
    }
    const parts = [fill(S.offline_js_notice, { date: config.built })];
    if (document.getElementById("rd-search")) parts.push(S.offline_js_search);
    if (document.getElementById("rd-near")) parts.push(S.offline_js_near);
    notice.replaceChildren(parts.join(" ") + " ");
    if (!document.getElementById("rd-my-meetings")) {
      const link = document.createElement("a");
      link.href = new URL("my-meetings/", root).href;
      link.textContent = S.offline_js_saved;
      notice.append(link);
    }
    notice.hidden = false;
  }

  window.addEventListener("online", update);
  window.addEventListener("offline", update);
  update();
  worker();
})();
