// Unit tests of the schedule rules in meeting-time.js: every other week, weeks
// of the month, cancelled dates and closures (schedule.browser_rule's data),
// the same cases as tests/test_schedule.py.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const Time = require("../../overrides/assets/directory/meeting-time.js");

const at = (iso) => Date.parse(iso);
const iso = (ms) => new Date(ms).toISOString();
const CHICAGO = "America/Chicago";
const starts = (meeting, from, to) => Time.occurrences(meeting, CHICAGO, at(from), at(to)).map((o) => iso(o.start));

test("1st and 3rd Monday", () => {
  const meeting = { day: 1, time: "19:30", rule: { weeks: [1, 3] } };
  assert.deepEqual(starts(meeting, "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z"), [
    "2026-01-06T01:30:00.000Z", "2026-01-20T01:30:00.000Z", "2026-02-03T01:30:00.000Z", "2026-02-17T01:30:00.000Z"]);
});

test("last Friday at month ends, and the 5th Tuesday of February 2028", () => {
  assert.deepEqual(starts({ day: 5, time: "18:00", rule: { weeks: [-1] } }, "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z"),
    ["2026-01-31T00:00:00.000Z", "2026-02-28T00:00:00.000Z"]);
  assert.deepEqual(starts({ day: 2, time: "19:00", rule: { weeks: [5] } }, "2028-02-01T00:00:00Z", "2028-03-10T00:00:00Z"),
    ["2028-03-01T01:00:00.000Z"]);
});

test("every other week keeps its weeks across the spring change", () => {
  const meeting = { day: 0, time: "19:00", rule: { every: 2, starting: "2026-02-22" } };
  assert.deepEqual(starts(meeting, "2026-02-01T00:00:00Z", "2026-03-25T00:00:00Z"),
    ["2026-02-23T01:00:00.000Z", "2026-03-09T00:00:00.000Z", "2026-03-23T00:00:00.000Z"]);
});

test("cancelled dates and closures are skipped; a closure ends on its until date", () => {
  const meeting = { day: 1, time: "19:00", rule: { cancelled: ["2026-10-26"], closed: [["2026-11-01", "2026-11-16"]] } };
  assert.deepEqual(starts(meeting, "2026-10-15T00:00:00Z", "2026-11-25T00:00:00Z"),
    ["2026-10-20T00:00:00.000Z", "2026-11-17T01:00:00.000Z", "2026-11-24T01:00:00.000Z"]);
});

test("next skips to after a closure, and is null when closed with no date", () => {
  const now = at("2026-11-05T15:00:00Z");
  const reopening = { day: 1, time: "19:00", rule: { closed: [["", "2027-02-01"]] } };
  assert.equal(iso(Time.next(reopening, CHICAGO, now).start), "2027-02-02T01:00:00.000Z");
  assert.equal(Time.next({ day: 1, time: "19:00", rule: { closed: [["", ""]] } }, CHICAGO, now), null);
  assert.equal(iso(Time.next({ day: 1, time: "19:30", rule: { weeks: [1, 3] } }, CHICAGO, at("2026-01-20T03:00:00Z")).start),
    "2026-02-03T01:30:00.000Z");
});

test("isClosed uses the zone's date, so a closure is over on its until date by the viewer's clock", () => {
  const meeting = Time.fromRow([1, "19:00", "", "O", { closed: [["2026-11-01", "2027-02-01"]] }]);
  assert.equal(Time.isClosed(meeting, CHICAGO, at("2026-11-01T04:59:00Z")), false); // still 31 October in Chicago
  assert.equal(Time.isClosed(meeting, CHICAGO, at("2026-11-01T05:01:00Z")), true);
  assert.equal(Time.isClosed(meeting, CHICAGO, at("2027-02-01T06:30:00Z")), false);
  assert.equal(Time.isClosed(Time.fromRow([1, "19:00", "", ""]), CHICAGO, at("2027-02-01T06:30:00Z")), false);
});
