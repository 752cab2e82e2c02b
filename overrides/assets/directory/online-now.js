// Online now: which online and hybrid meetings are in progress, which start in
// the next few hours, and the rest of the week, in the viewer's own time zone.
// Meetings come from data/online/<hour of the week>.json (geo_index.py); only
// the hours needed are loaded: now, the next hours, and a day when it is opened.
(function () {
  "use strict";
  const root = document.getElementById("rd-online-now");
  if (!root || !window.RDMeetingTime || !window.fetch) return;
  const Time = window.RDMeetingTime;
  const config = JSON.parse(root.getAttribute("data-config"));
  const S = config.strings;
  const language = document.documentElement.lang || "en";
  const HOUR = 3600000;
  const OPEN_ALL_UP_TO = 400; // a small directory opens every day of the week at once
  const viewer = Time.viewerZone();
  const status = root.querySelector(".rd-online-now__status");
  const files = new Map();
  let index = null;

  function getJSON(name) {
    if (!files.has(name)) {
      const promise = fetch(config.data + name).then((response) => {
        if (!response.ok) throw new Error(response.status + " " + name);
        return response.json();
      });
      promise.catch(() => files.delete(name));
      files.set(name, promise);
    }
    return files.get(name);
  }

  function hourOfWeek(instant) {
    const date = new Date(instant);
    return date.getUTCDay() * 24 + date.getUTCHours();
  }

  // Meetings that may start between ``from`` and ``to``: the hour files of that
  // span, widened by the index's margin for daylight saving.
  async function startingBetween(from, to) {
    const hours = new Set();
    for (let t = from - index.margin * HOUR; t < to + (index.margin + 1) * HOUR && hours.size < 168; t += HOUR) {
      const hour = hourOfWeek(t);
      if (index.hours[hour]) hours.add(hour);
    }
    const rows = (await Promise.all([...hours].map((hour) => getJSON(hour + ".json")))).flat();
    const found = [];
    for (const row of rows) {
      const meeting = { day: row[4], time: row[5], end: row[6], rule: row[10] || null }; // rule: skips closed and cancelled dates
      for (const when of Time.occurrences(meeting, index.zones[row[3]], from, to)) found.push({ row, start: when.start, end: when.end });
    }
    return found.sort((a, b) => a.start - b.start || a.row[1].localeCompare(b.row[1]));
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function timeRange(start, end, zone) {
    const format = new Intl.DateTimeFormat(language, { hour: "numeric", minute: "2-digit", timeZone: zone });
    return format.formatRange ? format.formatRange(new Date(start), new Date(end)) : format.format(new Date(start));
  }

  function telUrl(phone) {
    return "tel:" + phone.replace(/[^0-9+,*#]/g, "").replace(/#/g, "%23");
  }

  function item(found) {
    const row = found.row;
    const zone = index.zones[row[3]];
    const li = element("li", "rd-meeting rd-online-now__meeting");
    const name = element("a", "rd-meeting__name", row[1]);
    name.href = config.root + row[0];
    const time = element("time", "rd-meeting__time", timeRange(found.start, found.end, viewer));
    time.dateTime = new Date(found.start).toISOString();
    li.append(time, name);
    if (row[2]) li.append(element("span", "rd-meeting__where", config.labels.fellowships[row[2]] || row[2]));
    const types = element("ul", "rd-types");
    for (const code of row[7] ? row[7].split(" ") : []) types.append(element("li", "rd-type", config.labels.types[code] || code));
    li.append(types);
    if (Time.offsetMinutes(found.start, zone) !== Time.offsetMinutes(found.start, viewer)) {
      li.append(element("span", "rd-online-now__their", Time.fill(S.online_now_their_time, { time: Time.formatTime(found.start, language, zone, true) })));
    }
    const join = element("span", "rd-online-now__join");
    if (/^https?:\/\//i.test(row[8])) {
      const link = element("a", "md-button md-button--primary", S.join_online);
      link.href = row[8];
      link.rel = "noopener nofollow";
      join.append(link);
    }
    if (row[9]) {
      const phone = element("a", "rd-online-now__phone", row[9]);
      phone.href = telUrl(row[9]);
      join.append(element("span", "", S.join_by_phone + ": "), phone);
    }
    li.append(join);
    // Save to "My meetings" (saved.js, loaded at the end of every page); row[0] is groups/<slug>/.
    if (window.RDSaved) li.append(window.RDSaved.button({ slug: row[0].split("/").filter(Boolean).pop(), name: row[1], url: row[0] }));
    return li;
  }

  function fillList(list, found, emptyText) {
    list.replaceChildren(...found.map(item));
    if (!found.length) list.replaceChildren(element("li", "rd-online-now__none", emptyText));
  }

  function zoneName(now) {
    const parts = new Intl.DateTimeFormat(language, { timeZone: viewer, timeZoneName: "long" }).formatToParts(new Date(now));
    const name = (parts.find((p) => p.type === "timeZoneName") || {}).value;
    return name && name !== viewer ? name + " (" + viewer + ")" : viewer;
  }

  // One <details> per day of the next week, in the viewer's zone, filled when opened.
  function laterDays(now, soonEnd) {
    const container = root.querySelector(".rd-online-now__later");
    const openAll = index.hours.reduce((a, b) => a + b, 0) <= OPEN_ALL_UP_TO;
    const today = Time.wallClock(now, viewer);
    for (let i = 0; i < 7; i++) {
      const date = new Date(Date.UTC(today.year, today.month - 1, today.day + i));
      const dayStart = Time.toInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), 0, 0, viewer);
      const after = new Date(Date.UTC(today.year, today.month - 1, today.day + i + 1));
      const dayEnd = Time.toInstant(after.getUTCFullYear(), after.getUTCMonth() + 1, after.getUTCDate(), 0, 0, viewer);
      const from = Math.max(dayStart, soonEnd);
      if (from >= dayEnd) continue;
      const details = element("details", "rd-online-now__day");
      details.append(element("summary", "", Time.formatDate(dayStart + 12 * HOUR, language, viewer)));
      const list = element("ul", "rd-meetings");
      details.append(list);
      details.addEventListener("toggle", () => {
        if (!details.open || details.dataset.loaded) return;
        details.dataset.loaded = "yes";
        startingBetween(from, dayEnd)
          .then((found) => fillList(list, found.filter((f) => f.start >= from), S.online_now_none_day))
          .catch(() => {
            delete details.dataset.loaded;
            fillList(list, [], S.online_now_load_error);
          });
      });
      container.append(details);
      if (openAll) details.open = true;
    }
  }

  async function start() {
    root.hidden = false;
    status.textContent = S.online_now_loading;
    const now = Date.now();
    const soonEnd = now + config.soon_hours * HOUR;
    try {
      index = await getJSON("index.json");
      root.querySelector(".rd-online-now__zone").textContent = Time.fill(S.online_now_zone, { zone: zoneName(now) });
      const found = await startingBetween(now - index.longest * Time.MINUTE, soonEnd);
      fillList(root.querySelector(".rd-online-now__progress"), found.filter((f) => f.start <= now && f.end > now), S.online_now_none_in_progress);
      fillList(root.querySelector(".rd-online-now__soon"), found.filter((f) => f.start > now && f.start < soonEnd),
        Time.fill(S.online_now_none_soon, { hours: config.soon_hours }));
      laterDays(now, soonEnd);
      status.textContent = "";
    } catch (error) {
      status.textContent = S.online_now_load_error;
    }
  }

  // Start once every script of the page has run: saved.js (at the end of the
  // page) must be there before result lists get their save buttons.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
