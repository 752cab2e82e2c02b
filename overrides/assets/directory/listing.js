// A listing page's small helpers, none of which fetches anything:
// - each meeting's time in the viewer's own zone when it differs from the
//   meeting's ("7:00 PM · 1:00 AM your time"), with meeting-time.js;
// - "Directions" opening Apple Maps on Apple devices;
// - "Share": the Web Share API where the browser has it, else copy the link.
(function () {
  "use strict";
  const article = document.querySelector("article.rd-listing[data-rd-strings]");
  if (!article) return;
  const S = JSON.parse(article.getAttribute("data-rd-strings"));
  const language = document.documentElement.lang || "en";
  const Time = window.RDMeetingTime;

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  }

  // --- your time ------------------------------------------------------------
  function zoneName(zone, instant) {
    try {
      const parts = new Intl.DateTimeFormat(language, { timeZone: zone, timeZoneName: "long" }).formatToParts(new Date(instant));
      const name = (parts.find((p) => p.type === "timeZoneName") || {}).value;
      return name || zone;
    } catch (error) {
      return zone;
    }
  }

  function viewerDay(instant, zone) {
    const w = Time.wallClock(instant, zone);
    return new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
  }

  function yourTimes(now) {
    if (!Time) return;
    const viewer = Time.viewerZone();
    let shown = null;
    for (const row of article.querySelectorAll(".rd-schedule tr[data-zone]")) {
      const zone = row.getAttribute("data-zone");
      if (!zone) continue;
      const meeting = { day: Number(row.getAttribute("data-day")), time: row.getAttribute("data-time"), end: row.getAttribute("data-end") || null,
                        rule: row.hasAttribute("data-rule") ? JSON.parse(row.getAttribute("data-rule")) : null }; // schedule.browser_rule
      let next;
      try {
        next = Time.next(meeting, zone, now);
      } catch (error) {
        continue; // a zone this browser does not know: the meeting's own time stands
      }
      if (!next || Time.offsetMinutes(next.start, zone) === Time.offsetMinutes(next.start, viewer)) continue;
      const time = Time.formatTime(next.start, language, viewer, false);
      const text = viewerDay(next.start, viewer) === meeting.day
        ? fill(S.listing_js_your_time, { time })
        : fill(S.listing_js_your_day_time, { day: Time.formatDay(next.start, language, viewer), time });
      const span = document.createElement("span");
      span.className = "rd-your-time";
      span.textContent = " · " + text;
      row.querySelector(".rd-schedule__time").append(span);
      shown = shown || next.start;
    }
    const note = article.querySelector(".rd-your-zone");
    if (shown !== null && note) {
      note.textContent = fill(S.listing_js_your_zone, { zone: zoneName(viewer, shown) });
      note.hidden = false;
    }
  }

  // --- directions -------------------------------------------------------------
  function appleDevice() {
    const platform = (navigator.userAgentData && navigator.userAgentData.platform) || navigator.platform || "";
    return /^(Mac|iPhone|iPad|iPod)/i.test(platform) || /iPhone|iPad|iPod/.test(navigator.userAgent || "");
  }

  function directions() {
    if (!appleDevice()) return;
    for (const link of document.querySelectorAll("a.rd-directions[data-apple-href]")) {
      link.href = link.getAttribute("data-apple-href");
    }
  }

  // --- share ------------------------------------------------------------------
  function pageUrl() {
    const canonical = document.querySelector('link[rel="canonical"]');
    return canonical ? canonical.href : location.href.split("#")[0];
  }

  function share() {
    const box = article.querySelector(".rd-share");
    if (!box) return;
    const button = box.querySelector(".rd-share__button");
    const status = box.querySelector(".rd-share__status");
    const say = (text) => { status.textContent = text; };
    button.addEventListener("click", async () => {
      const url = pageUrl();
      const title = (article.querySelector("h1") || {}).textContent || document.title;
      say("");
      if (typeof navigator.share === "function") {
        try {
          await navigator.share({ title, url });
          return;
        } catch (error) {
          if (error && error.name === "AbortError") return; // the person closed the share sheet
        }
      }
      try {
        await navigator.clipboard.writeText(url);
        say(S.listing_js_copied);
      } catch (error) {
        say(fill(S.listing_js_copy_failed, { url }));
      }
    });
    box.hidden = false;
  }

  yourTimes(Date.now());
  directions();
  share();
})();
