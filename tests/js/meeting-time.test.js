// Unit tests of overrides/assets/directory/meeting-time.js (node --test; run by
// tests/test_browser_modules.py). Dates picked around 2026's daylight-saving
// changes: the US moves on 8 March and 1 November, the UK on 29 March and
// 25 October, so for three weeks in spring and one in autumn Chicago and
// London are an hour closer than usual.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const Time = require("../../overrides/assets/directory/meeting-time.js");

const at = (iso) => Date.parse(iso);
const iso = (ms) => new Date(ms).toISOString();
const plain = (text) => text.replace(/\s/g, " "); // ICU puts a narrow no-break space before AM/PM
const CHICAGO = "America/Chicago";
const LONDON = "Europe/London";
const MONDAY_7PM = { day: 1, time: "19:00", end: "20:00" };

test("offsets follow each zone's daylight saving", () => {
  assert.equal(Time.offsetMinutes(at("2026-01-14T12:00:00Z"), CHICAGO), -360);
  assert.equal(Time.offsetMinutes(at("2026-07-14T12:00:00Z"), CHICAGO), -300);
  assert.equal(Time.offsetMinutes(at("2026-07-14T12:00:00Z"), LONDON), 60);
  assert.equal(Time.offsetMinutes(at("2026-01-14T12:00:00Z"), "Asia/Kolkata"), 330);
});

test("a wall-clock time becomes the right instant on both sides of a change", () => {
  assert.equal(iso(Time.toInstant(2026, 3, 2, 19, 0, CHICAGO)), "2026-03-03T01:00:00.000Z");
  assert.equal(iso(Time.toInstant(2026, 3, 9, 19, 0, CHICAGO)), "2026-03-10T00:00:00.000Z");
  assert.equal(iso(Time.toInstant(2026, 11, 2, 19, 0, CHICAGO)), "2026-11-03T01:00:00.000Z");
});

test("a time the clocks skip moves forward; a time they repeat is the first", () => {
  // 02:30 does not exist in Chicago on 8 March 2026: it reads 03:30 CDT.
  assert.equal(iso(Time.toInstant(2026, 3, 8, 2, 30, CHICAGO)), "2026-03-08T08:30:00.000Z");
  // 01:30 happens twice on 1 November 2026 (CDT, then CST): the first.
  assert.equal(iso(Time.toInstant(2026, 11, 1, 1, 30, CHICAGO)), "2026-11-01T06:30:00.000Z");
  assert.equal(iso(Time.toInstant(2026, 10, 25, 1, 30, LONDON)), "2026-10-25T00:30:00.000Z");
});

test("19:00 in Chicago shows at the right time in London, across the changes", () => {
  const cases = [
    ["2026-01-12T12:00:00Z", "2026-01-13T01:00:00.000Z", "1:00 AM"], // both standard time
    ["2026-03-16T12:00:00Z", "2026-03-17T00:00:00.000Z", "12:00 AM"], // US summer time, UK not yet
    ["2026-04-06T12:00:00Z", "2026-04-07T00:00:00.000Z", "1:00 AM"], // both summer time
    ["2026-10-26T12:00:00Z", "2026-10-27T00:00:00.000Z", "12:00 AM"], // UK back, US not yet
    ["2026-11-02T12:00:00Z", "2026-11-03T01:00:00.000Z", "1:00 AM"], // both back
  ];
  for (const [now, start, london] of cases) {
    const next = Time.next(MONDAY_7PM, CHICAGO, at(now));
    assert.equal(iso(next.start), start, now);
    assert.equal(plain(Time.formatTime(next.start, "en-US", LONDON)), london, now);
    assert.equal(Time.formatDay(next.start, "en-US", LONDON), "Tuesday", now);
  }
});

test("a meeting in progress is found, also one that runs past midnight", () => {
  const during = Time.next(MONDAY_7PM, CHICAGO, at("2026-03-10T00:30:00Z"));
  assert.equal(during.inProgress, true);
  assert.equal(iso(during.end), "2026-03-10T01:00:00.000Z");
  const lateNight = { day: 0, time: "23:00", end: "00:30" };
  const monday = Time.next(lateNight, CHICAGO, at("2026-03-16T05:15:00Z")); // Monday 00:15 CDT
  assert.equal(monday.inProgress, true);
  assert.equal(iso(monday.start), "2026-03-16T04:00:00.000Z");
  const after = Time.next(MONDAY_7PM, CHICAGO, at("2026-03-10T01:00:00Z")); // just ended
  assert.equal(after.inProgress, false);
  assert.equal(iso(after.start), "2026-03-17T00:00:00.000Z");
});

test("occurrences of a week cross the viewer's week boundary", () => {
  // Saturday 23:00 in Los Angeles is Sunday morning in London.
  const found = Time.occurrences({ day: 6, time: "23:00", end: "" }, "America/Los_Angeles",
    at("2026-06-07T00:00:00Z"), at("2026-06-08T00:00:00Z"));
  assert.deepEqual(found.map((f) => iso(f.start)), ["2026-06-07T06:00:00.000Z"]);
  assert.equal(found[0].end - found[0].start, 60 * Time.MINUTE);
});

test("lengths, and times of day", () => {
  assert.equal(Time.durationMinutes("19:00", "20:30"), 90);
  assert.equal(Time.durationMinutes("23:00", "00:30"), 90);
  assert.equal(Time.durationMinutes("19:00", ""), 60);
  assert.deepEqual(["04:59", "05:00", "11:59", "12:00", "16:59", "17:00", "20:59", "21:00", "00:00"].map(Time.timeOfDay),
    ["night", "morning", "morning", "afternoon", "afternoon", "evening", "evening", "night", "night"]);
});

test("today, tomorrow or the weekday, in the viewer's words", () => {
  const strings = { when_today: "Today, {time}", when_tomorrow: "Tomorrow, {time}", when_day: "{day}, {time}" };
  const now = at("2026-03-16T12:00:00Z");
  const say = (instant) => plain(Time.describe(at(instant), now, "en-US", LONDON, strings));
  assert.equal(say("2026-03-16T18:00:00Z"), "Today, 6:00 PM");
  assert.equal(say("2026-03-17T00:00:00Z"), "Tomorrow, 12:00 AM");
  assert.equal(say("2026-03-19T09:30:00Z"), "Thursday, 9:30 AM");
  assert.equal(plain(Time.describe(at("2026-03-17T00:00:00Z"), now, "en-US", CHICAGO, strings, true)), "Today, 7:00 PM CDT");
  assert.equal(Time.fill("{count} of {total} {missing}", { count: 2, total: 3 }), "2 of 3 {missing}");
});
