// Unit tests of the shard key in overrides/assets/directory/saved.js (node --test);
// tests/test_offline.py checks the build's offline.shard_of against the same values.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { shardOf } = require("../../overrides/assets/directory/saved.js");

test("a slug's shard is FNV-1a (32 bits) of its UTF-8 bytes", () => {
  // Modulo 2^32 the shard is the hash itself: the published FNV-1a test vectors.
  assert.equal(shardOf("", 2 ** 32), 0x811c9dc5);
  assert.equal(shardOf("a", 2 ** 32), 0xe40c292c);
  assert.equal(shardOf("foobar", 2 ** 32), 0xbf9cf968);
  assert.equal(shardOf("downtown-serenity-group", 2 ** 32), 229850073);
  assert.equal(shardOf("cañon-city", 2 ** 32), 1871313424); // bytes, not UTF-16 units
});

test("a shard is one of the count, the same every time", () => {
  assert.equal(shardOf("downtown-serenity-group", 1), 0);
  for (const count of [2, 7, 124, 1244]) {
    const shard = shardOf("downtown-serenity-group", count);
    assert.ok(Number.isInteger(shard) && shard >= 0 && shard < count, `${shard} of ${count}`);
    assert.equal(shardOf("downtown-serenity-group", count), shard);
  }
});

test("slugs spread evenly over the shards", () => {
  const counts = new Array(50).fill(0);
  for (let i = 0; i < 5000; i++) counts[shardOf(`group-${i}-springfield-il`, 50)]++;
  assert.ok(Math.min(...counts) > 60 && Math.max(...counts) < 140, counts.join(" "));
});
