// "My meetings": the meetings saved in this browser (saved.js), each with its
// next time in the viewer's own time zone, soonest first, with join links and
// directions. Today's data comes from the shards of data/listings/ that hold
// the saved slugs (offline.py; saved.js finds them), which the service worker
// keeps for use offline; a saved listing missing from its shard is shown as
// no longer listed, never dropped without a word.
// saved.js comes at the end of every page (main.html): start once it has run.
function rdMyMeetings() {
  "use strict";
  const root = document.getElementById("rd-my-meetings");
  if (!root || !window.RDSaved || !window.RDMeetingTime) return;
  const Saved = window.RDSaved;
  const Time = window.RDMeetingTime;
  const config = JSON.parse(root.getAttribute("data-config"));
  const S = config.strings;
  const language = document.documentElement.lang || "en";
  const list = root.querySelector(".rd-my__list");
  const status = root.querySelector(".rd-my__status");
  const known = new Map(); // slug → its listing, or null when no longer listed
  const shards = new Map(); // shard URL → a promise of the shard, each fetched once

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function telUrl(phone) {
    return "tel:" + phone.replace(/[^0-9+,*#]/g, "").replace(/#/g, "%23");
  }

  // The soonest occurrence of any of a listing's meetings: {start, end, inProgress}.
  function nextOf(listing, now) {
    let best = null;
    if (!listing.zone) return null;
    for (const row of listing.meetings) {
      let when = null;
      try {
        when = Time.next(Time.fromRow(row), listing.zone, now);
      } catch (error) {
        continue; // a zone this browser does not know
      }
      if (when && (!best || when.start < best.start)) best = when;
    }
    return best;
  }

  function link(url, text, className) {
    const a = element("a", className, text);
    a.href = url;
    return a;
  }

  function item(entry, listing, next, now) {
    const viewer = Time.viewerZone();
    const li = element("li", "rd-my__item");
    li.dataset.slug = entry.slug;
    li.append(link(new URL(listing ? listing.url : entry.url, Saved.root).href, listing ? listing.name : entry.name, "rd-my__name"));
    if (!listing) {
      li.classList.add("rd-my__item--gone");
      li.append(element("span", "rd-my__gone", S.saved_js_gone));
    } else if (next) {
      const otherZone = Time.offsetMinutes(next.start, listing.zone) !== Time.offsetMinutes(next.start, viewer);
      const text = next.inProgress
        ? Time.fill(S.saved_js_in_progress, { time: Time.formatTime(next.end, language, viewer, otherZone) })
        : Time.fill(S.saved_js_next, { when: Time.describe(next.start, now, language, viewer, S, otherZone) });
      const when = element("time", "rd-my__next", text);
      when.dateTime = new Date(next.inProgress ? next.end : next.start).toISOString();
      li.append(when);
    } else {
      li.append(element("span", "rd-my__next", S.saved_js_no_times));
    }
    if (listing && listing.where) li.append(element("span", "rd-my__where", listing.where));
    if (listing && (listing.join || listing.phone || listing.directions)) {
      const actions = element("span", "rd-my__actions");
      if (/^https?:\/\//i.test(listing.join)) {
        const join = link(listing.join, S.join_online, "md-button md-button--primary");
        join.rel = "noopener nofollow";
        actions.append(join);
      }
      if (listing.phone) actions.append(element("span", "", S.join_by_phone + ": "), link(telUrl(listing.phone), listing.phone, "rd-my__phone"));
      if (/^https?:\/\//i.test(listing.directions)) {
        const directions = link(listing.directions, S.directions, "md-button rd-my__directions");
        directions.rel = "noopener nofollow";
        actions.append(directions);
      }
      li.append(actions);
    }
    const remove = element("button", "md-button rd-my__remove", S.saved_js_remove);
    remove.type = "button";
    remove.setAttribute("aria-label", Time.fill(S.saved_js_remove_named, { name: listing ? listing.name : entry.name }));
    remove.addEventListener("click", () => {
      Saved.remove(entry.slug);
      status.textContent = Time.fill(S.saved_js_removed, { name: entry.name });
    });
    li.append(remove);
    return li;
  }

  function fetchShard(url) {
    if (!shards.has(url)) {
      const shard = fetch(url).then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      });
      shards.set(url, shard);
      shard.catch(() => shards.delete(url)); // asked again next time
    }
    return shards.get(url);
  }

  // A slug's listing from its shard (null: no longer listed). A shard cut by
  // another build than the index (a newer site than the kept index) says its
  // own count: ask again with it, once.
  function lookUp(slug, count, again) {
    return fetchShard(Saved.shardUrl(slug, count)).then((shard) => {
      if (shard.shards === count) return shard.listings[slug] || null;
      if (again) return lookUp(slug, shard.shards, false);
      throw new Error("shards of two builds");
    });
  }

  // The saved listings not looked up yet; a failure says so and leaves them as saved.
  function load() {
    const wanted = Saved.read().filter((entry) => !known.has(entry.slug));
    if (!wanted.length) return Promise.resolve();
    return Saved.shardCount()
      .then((count) => Promise.all(wanted.map((entry) => lookUp(entry.slug, count, true).then((listing) => known.set(entry.slug, listing)))))
      .catch(() => { status.textContent = S.saved_js_load_error; });
  }

  function render() {
    const saved = Saved.read();
    const now = Date.now();
    const rows = saved.map((entry) => {
      // Not looked up (its data did not load): shown as saved, without a time.
      const listing = known.has(entry.slug) ? known.get(entry.slug) : { name: entry.name, url: entry.url, meetings: [], zone: "" };
      return { entry, listing, next: listing ? nextOf(listing, now) : null };
    });
    // Soonest first; then saved listings without a time; those no longer listed last.
    const rank = (row) => (row.listing ? (row.next ? row.next.start : Infinity) : Infinity);
    rows.sort((a, b) => (a.listing ? 0 : 1) - (b.listing ? 0 : 1) || rank(a) - rank(b) || a.entry.name.localeCompare(b.entry.name));
    list.replaceChildren(...rows.map((row) => item(row.entry, row.listing, row.next, now)));
    root.querySelector(".rd-my__empty").hidden = saved.length > 0;
    root.querySelector(".rd-my__zone").textContent = Time.fill(S.saved_js_zone, { zone: Time.viewerZone() });
  }

  function update() {
    load().then(render);
  }

  root.hidden = false;
  Saved.onChange(update);
  update();
  Saved.sync();
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", rdMyMeetings);
else rdMyMeetings();
