// Meetings near me. A typed town or ZIP code is looked up in the build's place
// files (data/places/), or the browser's location is asked for — only when the
// button is pressed. Then the nearest geohash cells of data/near/ are loaded,
// best first, until the nearest matches are certain (geo.js), and listed with
// their distance and next meeting. Every string comes from the page's config.
(function () {
  "use strict";
  const root = document.getElementById("rd-near");
  if (!root || !window.RDGeo || !window.RDMeetingTime || !window.fetch) return;
  const Geo = window.RDGeo;
  const Time = window.RDMeetingTime;
  const config = JSON.parse(root.getAttribute("data-config"));
  const S = config.strings;
  const language = document.documentElement.lang || "en";
  // Results per "show more"; farther than MAX_KM is not near; listings one search may
  // load by itself, which "Search farther" raises (site_model.NEAR_SEARCH). Without the
  // budget, rare filters in a dense city would load a whole state.
  const PAGE = config.search.page;
  const MAX_KM = config.search.max_km;
  const BUDGET = config.search.budget;

  const form = root.querySelector(".rd-near__form");
  const input = form.elements.place;
  const filters = root.querySelector(".rd-near__filters");
  const status = root.querySelector(".rd-near__status");
  const choices = root.querySelector(".rd-near__choices");
  const results = root.querySelector(".rd-near__results");
  const more = root.querySelector(".rd-near__more");
  const farther = root.querySelector(".rd-near__farther");
  const mapBox = root.querySelector(".rd-near__map");

  const files = new Map(); // URL → promise of its JSON (null for a missing file)
  const state = { origin: null, want: PAGE, budget: BUDGET, spent: 0, index: null, cells: new Map(), run: 0, shown: [] };

  function getJSON(path) {
    const url = config.data + path;
    if (!files.has(url)) {
      const promise = fetch(url).then((response) => {
        if (response.status === 404) return null;
        if (!response.ok) throw new Error(response.status + " " + url);
        return response.json();
      });
      promise.catch(() => files.delete(url)); // try again next time
      files.set(url, promise);
    }
    return files.get(url);
  }

  function say(text) {
    status.textContent = text;
  }

  function plural(key, count, values) {
    const form = new Intl.PluralRules(language).select(count);
    return Time.fill(S[key + "_" + form] || S[key + "_other"], Object.assign({ count }, values));
  }

  function distanceText(km) {
    const value = Geo.toUnits(km, config.units);
    const number = new Intl.NumberFormat(language, { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value);
    return Time.fill(S["distance_" + config.units], { distance: number });
  }

  // --- where ---------------------------------------------------------------
  async function resolvePlace(text) {
    const query = Geo.parsePlace(text);
    if (query.zip) {
      const zips = await getJSON("places/zip/" + query.zip.slice(0, 3) + ".json");
      const hit = zips && zips[query.zip];
      return hit ? [{ lat: hit[0], lon: hit[1], label: query.zip + " " + hit[2] + ", " + hit[3] }] : [];
    }
    if (query.name.length < 2) return [];
    const towns = (await getJSON("places/city/" + Geo.placeKey(query.name) + ".json")) || [];
    return Geo.matchTowns(towns, query).map((t) => ({ lat: t[3], lon: t[4], label: t[1] + ", " + t[2] }));
  }

  async function searchFor(text) {
    choices.hidden = true;
    choices.replaceChildren();
    say(Time.fill(S.near_searching, { place: text }));
    let places;
    try {
      places = await resolvePlace(text);
    } catch (error) {
      say(S.near_load_error);
      return;
    }
    if (!places.length) {
      say(Time.fill(S.near_place_unknown, { query: text }));
      clearResults();
    } else if (places.length === 1) {
      searchAt(places[0]);
    } else {
      offerChoices(text, places);
    }
  }

  function offerChoices(text, places) {
    say(Time.fill(S.near_choose_place, { query: text }));
    clearResults();
    for (const place of places) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "md-button";
      button.textContent = place.label;
      button.addEventListener("click", () => {
        choices.hidden = true;
        searchAt(place);
      });
      item.append(button);
      choices.append(item);
    }
    choices.hidden = false;
  }

  function locate() {
    if (!navigator.geolocation) {
      say(S.near_location_unavailable);
      return;
    }
    say(S.near_locating);
    navigator.geolocation.getCurrentPosition(
      (position) => searchAt({ lat: position.coords.latitude, lon: position.coords.longitude, label: S.near_your_location }),
      (error) => say(error.code === 1 ? S.near_location_denied : S.near_location_unavailable),
      { enableHighAccuracy: false, timeout: 20000, maximumAge: 600000 },
    );
  }

  // --- what ----------------------------------------------------------------
  function chosenFilters() {
    const value = (name) => filters.querySelector('[name="' + name + '"]').value;
    return { day: value("day"), time: value("time"), type: value("type"), fellowship: value("fellowship"), kind: value("kind") };
  }

  // A record's meetings that pass the filters; null when the record does not.
  // Meetings closed today (by the viewer's clock, in their zone) never pass, and
  // a listing whose every meeting is closed is not shown.
  function passing(record, f) {
    const kind = state.index.kinds[record[2]][0];
    if ((f.kind && kind !== f.kind) || (f.fellowship && record[5] !== f.fellowship)) return null;
    const zone = record[6] >= 0 ? state.index.zones[record[6]] : Time.viewerZone();
    const open = record[9].filter((m) => !Time.isClosed(Time.fromRow(m), zone, Date.now()));
    if (record[9].length && !open.length) return null;
    const meetings = open.filter((m) => (f.day === "" || m[0] === +f.day)
      && (!f.time || Time.timeOfDay(m[1]) === f.time)
      && (!f.type || m[3].split(" ").includes(f.type)));
    return meetings.length || !(f.day !== "" || f.time || f.type) ? meetings : null;
  }

  function matches(f) {
    const found = [];
    for (const records of state.cells.values()) {
      for (const record of records) {
        const km = Geo.distanceKm(state.origin.lat, state.origin.lon, record[0], record[1]);
        if (km > MAX_KM) continue;
        const meetings = passing(record, f);
        if (meetings) found.push({ record, km, meetings });
      }
    }
    return found.sort((a, b) => a.km - b.km || a.record[4].localeCompare(b.record[4]));
  }

  async function run() {
    const run = ++state.run;
    const f = chosenFilters();
    try {
      state.index = state.index || (await getJSON("near/index.json"));
      const sorted = Geo.cellsByDistance(state.index.cells, state.origin.lat, state.origin.lon);
      let found = matches(f);
      let reach = Infinity; // matches nearer than this are certain to be the nearest
      for (;;) {
        const next = Geo.cellsToLoad(sorted, state.cells, found.map((m) => m.km), state.want + 1, MAX_KM);
        const { affordable, spent } = Geo.withinBudget(next, state.spent, state.budget);
        if (!affordable.length) {
          if (next.length) reach = next[0].km;
          break;
        }
        const loaded = await Promise.all(affordable.map((c) => getJSON("near/" + c.cell + ".json")));
        if (run !== state.run) return; // a newer search took over
        affordable.forEach((c, i) => state.cells.set(c.cell, loaded[i] || []));
        state.spent = spent;
        found = matches(f);
      }
      if (run === state.run) show(found.filter((m) => m.km <= reach), reach);
    } catch (error) {
      if (run === state.run) say(S.near_load_error);
    }
  }

  function searchAt(place) {
    state.origin = place;
    state.want = PAGE;
    state.budget = BUDGET;
    state.spent = 0;
    run();
  }

  // --- showing -------------------------------------------------------------
  function clearResults() {
    results.replaceChildren();
    more.hidden = true;
    farther.hidden = true;
    state.shown = [];
    if (mapBox) mapBox.hidden = true;
  }

  // ``reach``: how far the loaded cells answer for (Infinity: as far as MAX_KM).
  function show(found, reach) {
    const now = Date.now();
    const viewer = Time.viewerZone();
    const shown = found.slice(0, state.want);
    const limited = reach !== Infinity;
    const place = state.origin.label;
    results.replaceChildren(...shown.map((match) => resultItem(match, now, viewer)));
    more.hidden = found.length <= state.want;
    farther.hidden = !limited;
    if (limited) {
      const distance = distanceText(reach);
      say(shown.length ? plural("near_results_within", shown.length, { place, distance })
        : Time.fill(S.near_results_none_yet, { distance, place }));
    } else {
      say(shown.length ? plural("near_results", shown.length, { place })
        : Time.fill(S.near_results_none, { distance: distanceText(MAX_KM), place }));
    }
    state.shown = shown;
    if (mapBox) {
      mapBox.hidden = !shown.length;
      if (window.RDMap) window.RDMap.update(mapBox, mapPoints());
    }
  }

  function listingUrl(record) {
    return config.root + state.index.kinds[record[2]][1] + "/" + record[3] + "/";
  }

  function resultItem(match, now, viewer) {
    const record = match.record;
    const item = document.createElement("li");
    item.className = "rd-near__result";
    const name = element("a", "rd-near__name", record[4]);
    name.href = listingUrl(record);
    const kind = state.index.kinds[record[2]][0];
    const what = [S["kind_" + kind.replace(/-/g, "_")]];
    if (record[5]) what.push(config.labels.fellowships[record[5]] || record[5]);
    what.push(record[7] ? S.hybrid : S.in_person);
    item.append(name, element("span", "rd-near__distance", distanceText(match.km)),
      element("span", "rd-near__what", what.join(" · ")), element("span", "rd-near__where", record[8]));
    const zone = record[6] >= 0 ? state.index.zones[record[6]] : viewer;
    const next = nextMeeting(match.meetings, zone, now);
    if (next) {
      const otherZone = Time.offsetMinutes(next.when.start, zone) !== Time.offsetMinutes(next.when.start, viewer);
      const text = next.when.inProgress
        ? Time.fill(S.near_in_progress, { time: Time.formatTime(next.when.end, language, zone, otherZone) })
        : Time.fill(S.near_next, { when: Time.describe(next.when.start, now, language, zone, S, otherZone) });
      const when = element("time", "rd-near__next", text);
      when.dateTime = new Date(next.when.inProgress ? next.when.end : next.when.start).toISOString();
      if (next.when.inProgress) when.classList.add("rd-near__next--now");
      item.append(when, typeList(next.meeting[3]));
    } else if (!match.meetings.length) {
      item.append(element("span", "rd-near__next", S.near_no_times));
    }
    // Save to "My meetings" (saved.js, loaded at the end of every page).
    if (window.RDSaved) item.append(window.RDSaved.button({ slug: record[3], name: record[4], url: state.index.kinds[record[2]][1] + "/" + record[3] + "/" }));
    return item;
  }

  function nextMeeting(meetings, zone, now) {
    let best = null;
    for (const meeting of meetings) {
      const when = Time.next(Time.fromRow(meeting), zone, now);
      if (when && (!best || when.start < best.when.start)) best = { when, meeting };
    }
    return best;
  }

  function typeList(codes) {
    const list = document.createElement("ul");
    list.className = "rd-types";
    for (const code of codes ? codes.split(" ") : []) list.append(element("li", "rd-type", config.labels.types[code] || code));
    return list;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    node.className = className;
    node.textContent = text;
    return node;
  }

  function mapPoints() {
    return {
      origin: { lat: state.origin.lat, lon: state.origin.lon, label: S.map_search_point },
      points: state.shown.map((m) => ({ lat: m.record[0], lon: m.record[1], label: m.record[4], url: listingUrl(m.record) })),
    };
  }

  // --- wiring ----------------------------------------------------------------
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    const url = new URL(window.location.href);
    url.searchParams.set("q", text);
    history.replaceState(null, "", url);
    searchFor(text);
  });
  root.querySelector(".rd-near__locate").addEventListener("click", locate);
  filters.addEventListener("change", () => {
    if (state.origin) searchAt(state.origin); // a new search, with its own budget
  });
  more.addEventListener("click", () => {
    state.want += PAGE;
    run();
  });
  farther.addEventListener("click", () => {
    state.budget += BUDGET;
    run();
  });
  if (mapBox && window.RDMap) window.RDMap.attach(mapBox, config.tiles, S, mapPoints);
  root.hidden = false;
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    input.value = query;
    // After every script of the page has run, so saved.js can add save buttons.
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => searchFor(query.trim()));
    else searchFor(query.trim());
  }
})();
