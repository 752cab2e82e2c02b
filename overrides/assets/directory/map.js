// Optional maps with Leaflet (copied into the site from node_modules at build
// time). Only pages of a site with a tile server configured load this file,
// and nothing more — not Leaflet, not a tile — is fetched until "Show map" is
// pressed. Listing pages carry their map in data-map; near-me.js attaches its own.
(function () {
  "use strict";
  let leaflet = null;
  const boxes = new Map(); // box → {tiles, getData, map, layer}

  function loadLeaflet(base) {
    if (window.L) return Promise.resolve(window.L);
    if (!leaflet) {
      leaflet = new Promise((resolve, reject) => {
        const css = document.createElement("link");
        css.rel = "stylesheet";
        css.href = base + "leaflet.css";
        const script = document.createElement("script");
        script.src = base + "leaflet.js";
        script.onload = () => resolve(window.L);
        script.onerror = () => {
          leaflet = null;
          reject(new Error("Leaflet did not load"));
        };
        document.head.append(css, script);
      });
    }
    return leaflet;
  }

  function draw(box, data) {
    const L = window.L;
    const entry = boxes.get(box);
    if (!entry.map) {
      L.Icon.Default.imagePath = entry.tiles.leaflet + "images/";
      entry.map = L.map(box.querySelector(".rd-map__canvas"), { scrollWheelZoom: false });
      L.tileLayer(entry.tiles.url, {
        attribution: entry.tiles.attribution, maxZoom: entry.tiles.max_zoom, subdomains: entry.tiles.subdomains,
      }).addTo(entry.map);
      entry.layer = L.layerGroup().addTo(entry.map);
    }
    entry.layer.clearLayers();
    const corners = [];
    for (const point of data.points) {
      const marker = L.marker([point.lat, point.lon], { title: point.label, alt: point.label });
      const label = document.createElement(point.url ? "a" : "span");
      label.textContent = point.label;
      if (point.url) label.href = point.url;
      marker.bindPopup(label).addTo(entry.layer);
      corners.push([point.lat, point.lon]);
    }
    if (data.origin) {
      L.circleMarker([data.origin.lat, data.origin.lon], { radius: 8 }).bindTooltip(data.origin.label).addTo(entry.layer);
      corners.push([data.origin.lat, data.origin.lon]);
    }
    entry.map.invalidateSize();
    if (corners.length === 1) entry.map.setView(corners[0], 16);
    else if (corners.length) entry.map.fitBounds(corners, { padding: [24, 24], maxZoom: 16 });
  }

  // Wire a box (.rd-map with a .rd-map__toggle button and a .rd-map__canvas).
  function attach(box, tiles, strings, getData) {
    const toggle = box.querySelector(".rd-map__toggle");
    const canvas = box.querySelector(".rd-map__canvas");
    boxes.set(box, { tiles, getData, map: null, layer: null });
    toggle.addEventListener("click", async () => {
      const open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      toggle.textContent = open ? strings.map_show : strings.map_hide;
      canvas.hidden = open;
      if (open) return;
      try {
        await loadLeaflet(tiles.leaflet);
        draw(box, getData());
      } catch (error) {
        canvas.hidden = true;
        toggle.setAttribute("aria-expanded", "false");
        toggle.textContent = strings.map_show;
      }
    });
  }

  // Redraw an open map with new points (near-me's results changed).
  function update(box, data) {
    const toggle = box.querySelector(".rd-map__toggle");
    if (window.L && boxes.has(box) && toggle.getAttribute("aria-expanded") === "true") draw(box, data);
  }

  window.RDMap = { attach, update };

  for (const box of document.querySelectorAll(".rd-map[data-map]")) {
    const data = JSON.parse(box.getAttribute("data-map"));
    attach(box, data.tiles, data.strings, () => data);
    box.hidden = false;
  }
})();
