// Distances, geohash cells and place names for "meetings near me". Pure
// functions, no page access: near-me.js uses them, node --test checks them.
// The build side is hooks/recovery_directory/geo_index.py; keep the two alike.
(function (root, factory) {
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.RDGeo = api;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  const BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz";
  const EARTH_RADIUS_KM = 6371.0088;
  const KM_PER_MILE = 1.609344;
  const ABBREVIATIONS = { st: "saint", ste: "sainte", ft: "fort", mt: "mount" };
  const STATES = new Set(("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM "
    + "NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU AS MP").split(" "));

  function radians(degrees) {
    return degrees * Math.PI / 180;
  }

  // Great-circle distance (haversine), as geo_index/gazetteer compute it.
  function distanceKm(lat1, lon1, lat2, lon2) {
    const p1 = radians(lat1);
    const p2 = radians(lat2);
    const a = Math.sin((p2 - p1) / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin(radians(lon2 - lon1) / 2) ** 2;
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  function toUnits(km, units) {
    return units === "km" ? km : km / KM_PER_MILE;
  }

  function encode(lat, lon, precision) {
    const latRange = [-90, 90];
    const lonRange = [-180, 180];
    let hash = "";
    let value = 0;
    let bits = 0;
    let even = true;
    while (hash.length < precision) {
      const range = even ? lonRange : latRange;
      const x = even ? lon : lat;
      const middle = (range[0] + range[1]) / 2;
      value <<= 1;
      if (x >= middle) { value |= 1; range[0] = middle; } else { range[1] = middle; }
      even = !even;
      if (++bits === 5) { hash += BASE32[value]; value = 0; bits = 0; }
    }
    return hash;
  }

  // A cell's box: {south, north, west, east}.
  function bounds(hash) {
    const latRange = [-90, 90];
    const lonRange = [-180, 180];
    let even = true;
    for (const char of hash) {
      const value = BASE32.indexOf(char);
      if (value < 0) throw new Error("not a geohash: " + hash);
      for (let bit = 4; bit >= 0; bit--) {
        const range = even ? lonRange : latRange;
        const middle = (range[0] + range[1]) / 2;
        if ((value >> bit) & 1) range[0] = middle; else range[1] = middle;
        even = !even;
      }
    }
    return { south: latRange[0], north: latRange[1], west: lonRange[0], east: lonRange[1] };
  }

  // No point of the cell is nearer than this (to the box's nearest edge point,
  // less a small margin: the nearest point of a box on a sphere is not always
  // where the coordinates clamp).
  function distanceToCellKm(lat, lon, hash) {
    const box = bounds(hash);
    const nearLat = Math.min(Math.max(lat, box.south), box.north);
    const nearLon = Math.min(Math.max(lon, box.west), box.east);
    if (nearLat === lat && nearLon === lon) return 0;
    return Math.max(0, distanceKm(lat, lon, nearLat, nearLon) * 0.99 - 0.5);
  }

  // The index's cells ({hash: count}) nearest first: [{cell, count, km}].
  function cellsByDistance(cells, lat, lon) {
    return Object.keys(cells)
      .map((cell) => ({ cell, count: cells[cell], km: distanceToCellKm(lat, lon, cell) }))
      .sort((a, b) => a.km - b.km || b.count - a.count);
  }

  // Which cells to load next. ``matchKm``: distances of the matches found so
  // far, sorted. With ``want`` matches in hand, only cells that could hold a
  // nearer one; short of it, the nearest cell and any close behind it.
  function cellsToLoad(sortedCells, loaded, matchKm, want, maxKm, batch = 4) {
    const open = sortedCells.filter((c) => !loaded.has(c.cell) && c.km <= maxKm);
    if (!open.length) return [];
    if (matchKm.length >= want) {
      const bound = matchKm[want - 1];
      return open.filter((c) => c.km < bound).slice(0, batch);
    }
    const nearest = open[0].km;
    return open.filter((c) => c.km <= nearest + 10).slice(0, batch);
  }

  // The first of ``cells`` that fit in what is left of a search's budget (in
  // listings); the first cell of a search always does. {affordable, spent}.
  function withinBudget(cells, spent, budget) {
    const affordable = [];
    for (const c of cells) {
      if (spent + c.count > budget && (affordable.length || spent)) break;
      affordable.push(c);
      spent += c.count;
    }
    return { affordable, spent };
  }

  // Place names compared as geo_index.normal_place does.
  function normalPlace(text) {
    const plain = String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    return plain.split(/[^a-z0-9]+/).filter(Boolean).map((w) => ABBREVIATIONS[w] || w).join(" ");
  }

  // The city file a normal name is in (geo_index.place_key).
  function placeKey(normal) {
    return normal.slice(0, 3).padEnd(3, "_").replace(/ /g, "_");
  }

  // What someone typed: {zip} for a US ZIP code (ZIP+4 too), else {name, state}
  // with the state when they wrote "Springfield, IL" or "Springfield IL".
  function parsePlace(text) {
    const trimmed = String(text).trim();
    const zip = trimmed.match(/^(\d{5})(?:[- ]?\d{4})?$/);
    if (zip) return { zip: zip[1] };
    let name = trimmed;
    let state = null;
    const comma = trimmed.match(/^(.*),\s*([A-Za-z]{2})\.?$/);
    const space = trimmed.match(/^(.*\S)\s+([A-Za-z]{2})$/);
    if (comma && STATES.has(comma[2].toUpperCase())) { name = comma[1]; state = comma[2].toUpperCase(); }
    else if (space && STATES.has(space[2].toUpperCase())) { name = space[1]; state = space[2].toUpperCase(); }
    return { name: normalPlace(name.replace(/,\s*$/, "")), state };
  }

  // Towns of a city file ([[normal, name, state, lat, lon], …]) that fit the
  // parsed query: exact names first, else names that start with it (at most ``limit``).
  function matchTowns(towns, query, limit = 8) {
    const inState = (t) => !query.state || t[2] === query.state;
    const exact = towns.filter((t) => t[0] === query.name && inState(t));
    if (exact.length) return exact;
    return towns.filter((t) => t[0].startsWith(query.name) && inState(t)).slice(0, limit);
  }

  return { distanceKm, toUnits, encode, bounds, distanceToCellKm, cellsByDistance, cellsToLoad, withinBudget, normalPlace,
           placeKey, parsePlace, matchTowns, KM_PER_MILE };
});
