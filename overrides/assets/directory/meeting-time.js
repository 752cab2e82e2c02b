// Meetings kept in their own IANA time zone, seen from anywhere: when the
// next one starts, whether one is in progress, and how to show that in the
// viewer's own time. Weekly, or as ``meeting.rule`` says (schedule.browser_rule:
// every other week from ``starting``, given ``weeks`` of the month with -1 the
// last, ``cancelled`` dates, ``closed`` [since, until] spans, "" for open-ended),
// each date checked against the zone's own calendar, so that a closure ends by
// the viewer's clock without a new build. Only Intl.DateTimeFormat (the browser's zone data), no
// library. Shared by near-me.js and online-now.js; node --test loads it too.
(function (root, factory) {
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.RDMeetingTime = api;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  const MINUTE = 60000;
  const DAY = 86400000;
  const DEFAULT_MINUTES = 60; // a meeting without an end time
  const partFormats = new Map();

  // The wall clock of an instant in a zone: {year, month, day, hour, minute, second}.
  function wallClock(instant, zone) {
    let format = partFormats.get(zone);
    if (!format) {
      format = new Intl.DateTimeFormat("en-US", {
        timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
        hour: "numeric", minute: "numeric", second: "numeric",
      });
      partFormats.set(zone, format);
    }
    const parts = {};
    for (const part of format.formatToParts(new Date(instant))) parts[part.type] = part.value;
    return { year: +parts.year, month: +parts.month, day: +parts.day, hour: +parts.hour % 24, minute: +parts.minute, second: +parts.second };
  }

  // Minutes the zone is ahead of UTC at an instant (Chicago in winter: -360).
  function offsetMinutes(instant, zone) {
    const w = wallClock(instant, zone);
    const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / MINUTE);
  }

  // The instant a zone's clocks read year-month-day hour:minute. A reading that
  // happens twice (clocks go back) gives the first; one that never happens
  // (clocks go forward) gives the reading one gap later, as clocks and Temporal do.
  function toInstant(year, month, day, hour, minute, zone) {
    const guess = Date.UTC(year, month - 1, day, hour, minute);
    const before = offsetMinutes(guess - DAY, zone);
    const after = offsetMinutes(guess + DAY, zone);
    const early = guess - before * MINUTE;
    const late = guess - after * MINUTE;
    const earlyOk = offsetMinutes(early, zone) === before;
    const lateOk = offsetMinutes(late, zone) === after;
    if (earlyOk && lateOk) return Math.min(early, late);
    if (earlyOk) return early;
    if (lateOk) return late;
    return Math.max(early, late);
  }

  function minutesOf(hhmm) {
    const [hours, minutes] = hhmm.split(":").map(Number);
    return hours * 60 + minutes;
  }

  // A meeting's length; an end before the start is after midnight.
  function durationMinutes(start, end) {
    if (!end) return DEFAULT_MINUTES;
    const length = minutesOf(end) - minutesOf(start);
    return length > 0 ? length : length + 1440;
  }

  function addDays(date, days) {
    const t = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
    return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
  }

  function weekday(date) {
    return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay(); // 0 = Sunday
  }

  function isoDate(date) {
    const pad = (n) => String(n).padStart(2, "0");
    return date.year + "-" + pad(date.month) + "-" + pad(date.day);
  }

  function closedOn(rule, iso) {
    return !!(rule && rule.closed || []).some(([since, until]) => (!since || since <= iso) && (!until || iso < until));
  }

  // Whether the rule falls on ``date`` ({year, month, day}, the meeting's weekday).
  function ruleFalls(rule, date) {
    if (!rule) return true;
    if (rule.every === 2 && rule.starting) {
      const [y, m, d] = rule.starting.split("-").map(Number);
      const days = Math.round((Date.UTC(date.year, date.month - 1, date.day) - Date.UTC(y, m - 1, d)) / DAY);
      if (days < 0 || days % 14 !== 0) return false;
    }
    if (rule.weeks && rule.weeks.length) {
      const nth = Math.ceil(date.day / 7);
      const last = addDays(date, 7).month !== date.month;
      if (!rule.weeks.includes(nth) && !(last && rule.weeks.includes(-1))) return false;
    }
    return true;
  }

  // Whether a meeting is held on ``date``: its rule falls there, not cancelled, not closed.
  function heldOn(meeting, date) {
    const rule = meeting.rule;
    if (!ruleFalls(rule, date)) return false;
    const iso = isoDate(date);
    return !(rule && ((rule.cancelled || []).includes(iso) || closedOn(rule, iso)));
  }

  // Closed on the zone's date at ``now`` (a closure whose until has come is over).
  function isClosed(meeting, zone, now) {
    return closedOn(meeting.rule, isoDate(wallClock(now, zone)));
  }

  // {day, time, end, rule} from a data row's [day, "HH:MM", "HH:MM" or "", types, rule?].
  function fromRow(row) {
    return { day: row[0], time: row[1], end: row[2] || null, rule: row[4] || null };
  }

  // Every time a meeting ({day, time, end, rule}: day 0 = Sunday, "HH:MM" in
  // ``zone``) is on between ``from`` and ``to`` (ms): started before ``to``,
  // not ended by ``from``. Each as {start, end} in ms.
  function occurrences(meeting, zone, from, to) {
    const length = durationMinutes(meeting.time, meeting.end);
    const first = wallClock(from - length * MINUTE - DAY, zone);
    const days = Math.ceil((to - from + length * MINUTE) / DAY) + 3;
    const startMinutes = minutesOf(meeting.time);
    const found = [];
    for (let i = 0; i <= days; i++) {
      const date = addDays(first, i);
      if (weekday(date) !== meeting.day || !heldOn(meeting, date)) continue;
      const start = toInstant(date.year, date.month, date.day, Math.floor(startMinutes / 60), startMinutes % 60, zone);
      const end = start + length * MINUTE;
      if (start >= to) break;
      if (end > from) found.push({ start, end });
    }
    return found;
  }

  // The occurrence in progress at ``now``, else the next: {start, end, inProgress}.
  // A week is enough for a weekly meeting; a rule or a closure may need a year or more.
  function next(meeting, zone, now) {
    const rule = meeting.rule;
    const untils = ((rule && rule.closed) || []).map(([, until]) => until).filter(Boolean).sort();
    let horizon = now + (rule ? 400 : 8) * DAY;
    if (untils.length) {
      const [y, m, d] = untils[untils.length - 1].split("-").map(Number);
      horizon = Math.max(horizon, Date.UTC(y, m - 1, d) + 70 * DAY);
    }
    for (let from = now; from < horizon; from += 62 * DAY) {
      const found = occurrences(meeting, zone, from, Math.min(from + 62 * DAY, horizon))
        .find((o) => o.end > now);
      if (found) return { start: found.start, end: found.end, inProgress: found.start <= now };
    }
    return null;
  }

  // morning 5:00–11:59, afternoon 12:00–16:59, evening 17:00–20:59, night the rest.
  function timeOfDay(hhmm) {
    const hour = Math.floor(minutesOf(hhmm) / 60);
    if (hour >= 5 && hour < 12) return "morning";
    if (hour >= 12 && hour < 17) return "afternoon";
    if (hour >= 17 && hour < 21) return "evening";
    return "night";
  }

  function viewerZone() {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  }

  // Whole calendar days from ``now``'s date to ``instant``'s date, in ``zone``.
  function daysFrom(now, instant, zone) {
    const a = wallClock(now, zone);
    const b = wallClock(instant, zone);
    return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY);
  }

  function formatTime(instant, language, zone, withZone) {
    const options = { hour: "numeric", minute: "2-digit", timeZone: zone };
    if (withZone) options.timeZoneName = "short";
    return new Intl.DateTimeFormat(language, options).format(new Date(instant));
  }

  function formatDay(instant, language, zone) {
    return new Intl.DateTimeFormat(language, { weekday: "long", timeZone: zone }).format(new Date(instant));
  }

  function formatDate(instant, language, zone) {
    return new Intl.DateTimeFormat(language, { weekday: "long", month: "long", day: "numeric", timeZone: zone }).format(new Date(instant));
  }

  // "Today, 7:00 PM", "Tomorrow, …" or "Wednesday, …" from the when_ strings.
  function describe(instant, now, language, zone, strings, withZone) {
    const time = formatTime(instant, language, zone, withZone);
    const days = daysFrom(now, instant, zone);
    if (days === 0) return fill(strings.when_today, { time });
    if (days === 1) return fill(strings.when_tomorrow, { time });
    return fill(strings.when_day, { day: formatDay(instant, language, zone), time });
  }

  // "{count} meetings" → "3 meetings": placeholders in a translated string.
  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  }

  return { MINUTE, DAY, wallClock, offsetMinutes, toInstant, durationMinutes, occurrences, next, timeOfDay,
           heldOn, isClosed, fromRow,
           viewerZone, daysFrom, formatTime, formatDay, formatDate, describe, fill, minutesOf };
});
