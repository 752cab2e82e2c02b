// Unit tests of overrides/assets/directory/geo.js (node --test).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const Geo = require("../../overrides/assets/directory/geo.js");

test("great-circle distances", () => {
  assert.ok(Math.abs(Geo.distanceKm(0, 0, 0, 1) - 111.195) < 0.01);
  const springfieldToChicago = Geo.distanceKm(39.7817, -89.6501, 41.8781, -87.6298);
  assert.ok(springfieldToChicago > 285 && springfieldToChicago < 295, springfieldToChicago);
  assert.equal(Geo.distanceKm(40, -90, 40, -90), 0);
  assert.ok(Math.abs(Geo.toUnits(Geo.KM_PER_MILE * 10, "mi") - 10) < 1e-9);
  assert.equal(Geo.toUnits(12, "km"), 12);
});

test("geohash cells encode and bound a point", () => {
  assert.equal(Geo.encode(37.7749, -122.4194, 5), "9q8yy");
  assert.equal(Geo.encode(57.64911, 10.40744, 11), "u4pruydqqvj");
  const box = Geo.bounds("9q8yy");
  assert.ok(box.south <= 37.7749 && 37.7749 <= box.north && box.west <= -122.4194 && -122.4194 <= box.east);
  assert.equal(Geo.distanceToCellKm(37.7749, -122.4194, "9q8yy"), 0);
  assert.ok(Geo.distanceToCellKm(37.7749, -122.4194, "dp") > 2500);
});

test("cells come nearest first, and only those that can hold a nearer match load", () => {
  const here = [39.78, -89.65];
  const cells = { [Geo.encode(39.78, -89.65, 4)]: 10, [Geo.encode(41.88, -87.63, 4)]: 100, [Geo.encode(30.27, -97.74, 4)]: 5 };
  const sorted = Geo.cellsByDistance(cells, ...here);
  assert.deepEqual(sorted.map((c) => c.cell), [Geo.encode(39.78, -89.65, 4), Geo.encode(41.88, -87.63, 4), Geo.encode(30.27, -97.74, 4)]);
  const loaded = new Map();
  assert.deepEqual(Geo.cellsToLoad(sorted, loaded, [], 5, 250).map((c) => c.cell), [sorted[0].cell]);
  loaded.set(sorted[0].cell, []);
  // Short of 5 matches: the next nearest cell, if it is within reach.
  assert.deepEqual(Geo.cellsToLoad(sorted, loaded, [1, 2], 5, 250).map((c) => c.cell), []); // Chicago is ~290 km away
  assert.deepEqual(Geo.cellsToLoad(sorted, loaded, [1, 2], 5, 400).map((c) => c.cell), [sorted[1].cell]);
  // Five matches within 3 km: no farther cell can beat them.
  assert.deepEqual(Geo.cellsToLoad(sorted, loaded, [1, 1, 2, 2, 3], 5, 5000), []);
});

test("a search loads cells only within its budget, but always its first", () => {
  const cells = [{ cell: "a", count: 150 }, { cell: "b", count: 150 }, { cell: "c", count: 150 }, { cell: "d", count: 150 }];
  assert.deepEqual(Geo.withinBudget(cells, 0, 500), { affordable: cells.slice(0, 3), spent: 450 });
  assert.deepEqual(Geo.withinBudget(cells, 450, 500), { affordable: [], spent: 450 });
  assert.deepEqual(Geo.withinBudget(cells, 450, 1000), { affordable: cells.slice(0, 3), spent: 900 });
  assert.deepEqual(Geo.withinBudget([{ cell: "big", count: 900 }], 0, 500).affordable.map((c) => c.cell), ["big"]);
});

test("place names compare without case, accents or abbreviations", () => {
  assert.equal(Geo.normalPlace("St. Louis"), "saint louis");
  assert.equal(Geo.normalPlace("  Coeur d'Alene "), "coeur d alene");
  assert.equal(Geo.normalPlace("Cañon City"), "canon city");
  assert.equal(Geo.placeKey("saint louis"), "sai");
  assert.equal(Geo.placeKey("o fallon"), "o_f");
  assert.equal(Geo.placeKey("ai"), "ai_");
});

test("what someone typed: a ZIP code, or a town with or without its state", () => {
  assert.deepEqual(Geo.parsePlace(" 62701 "), { zip: "62701" });
  assert.deepEqual(Geo.parsePlace("62701-1234"), { zip: "62701" });
  assert.deepEqual(Geo.parsePlace("Springfield, IL"), { name: "springfield", state: "IL" });
  assert.deepEqual(Geo.parsePlace("springfield il"), { name: "springfield", state: "IL" });
  assert.deepEqual(Geo.parsePlace("Ft Worth"), { name: "fort worth", state: null });
  assert.deepEqual(Geo.parsePlace("Lake Oz"), { name: "lake oz", state: null }); // not a state
  const towns = [["springfield", "Springfield", "IL", 39.8, -89.6], ["springfield", "Springfield", "OR", 44.0, -123.0],
                 ["springdale", "Springdale", "AR", 36.2, -94.1]];
  assert.equal(Geo.matchTowns(towns, Geo.parsePlace("Springfield")).length, 2);
  assert.deepEqual(Geo.matchTowns(towns, Geo.parsePlace("Springfield, OR")).map((t) => t[2]), ["OR"]);
  assert.deepEqual(Geo.matchTowns(towns, Geo.parsePlace("spring")).map((t) => t[1]), ["Springfield", "Springfield", "Springdale"]);
});
