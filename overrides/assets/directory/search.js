// The search page: a light interface of our own on Pagefind's JavaScript API
// (pagefind.js), in the markup and classes of Pagefind's Default UI.
// - The index comes in parts along the regions when the directory is large
//   (search_index.py; pagefind/parts.json). Then the reader chooses where to
//   search (?region=, else the last choice kept on this device, else asked):
//   only the parts holding that region are loaded, narrowed to it with the
//   region filter when a part holds more. "Everywhere" merges every part.
// - Filters are collapsed groups; their values load (pagefind.filters(), every
//   filter of the loaded parts) only when the reader opens one.
// - Contributor text is untrusted: results are built with textContent; the
//   excerpt's own <mark> tags are the only markup taken from Pagefind.
(function () {
  "use strict";
  const root = document.getElementById("rd-search");
  if (!root) return;
  const config = JSON.parse(root.getAttribute("data-config") || "{}");
  const S = config.strings || {};
  const bundle = new URL(root.getAttribute("data-bundle"), document.baseURI).href;
  const language = (document.documentElement.lang || "en").toLowerCase();
  const REGION = config.filters[1]; // the region filter's key, as search.html orders them
  const PAGE_SIZE = 5;
  const EVERYWHERE = "*";
  const STORE = "rd-search-where";
  const params = new URLSearchParams(window.location.search);

  const state = { manifest: null, scope: null, instance: null, instanceScope: undefined, loading: null, narrow: null, selected: {},
                  filtersLoaded: false, search: null, shown: 0, sequence: 0, timer: 0 };

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  }

  function plural(key, count, values) {
    const form = new Intl.PluralRules(language).select(count);
    return fill(S[key + "_" + form] || S[key + "_other"], Object.assign({ count }, values));
  }

  // Pagefind keeps filter values and excerpt text with HTML entities: decoded
  // as text only (a DOMParser document runs nothing).
  const parser = new DOMParser();
  function decode(text) {
    if (!/&/.test(text)) return text;
    return parser.parseFromString("<!doctype html><body>" + text, "text/html").body.textContent;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // --- the page --------------------------------------------------------------
  const where = element("p", "rd-search-where");
  where.hidden = true;
  const whereLabel = element("label", null, S.search_js_where);
  whereLabel.htmlFor = "rd-search-where";
  const whereSelect = element("select");
  whereSelect.id = "rd-search-where";
  where.append(whereLabel, " ", whereSelect);

  const ui = element("div", "pagefind-ui");
  const form = element("form", "pagefind-ui__form");
  form.setAttribute("role", "search");
  const input = element("input", "pagefind-ui__search-input");
  Object.assign(input, { type: "text", id: "rd-search-input", placeholder: S.search_js_label, autocomplete: "off" });
  input.setAttribute("aria-label", S.search_js_label);
  const clear = element("button", "pagefind-ui__search-clear", S.search_js_clear);
  clear.type = "button";
  clear.hidden = true;
  const drawer = element("div", "pagefind-ui__drawer");
  drawer.hidden = true;
  const panel = element("div", "pagefind-ui__filter-panel");
  const panelLabel = element("p", "pagefind-ui__filter-panel-label", S.search_js_filters);
  panelLabel.id = "rd-search-filters";
  panel.setAttribute("role", "group");
  panel.setAttribute("aria-labelledby", panelLabel.id);
  panel.append(panelLabel);
  const area = element("div", "pagefind-ui__results-area");
  const list = element("ol", "pagefind-ui__results");
  const more = element("button", "pagefind-ui__button", S.search_js_load_more);
  more.type = "button";
  more.hidden = true;
  area.append(list, more);
  drawer.append(panel, area);
  // The status line stays in the page from the start, so screen readers announce its changes.
  const message = element("p", "pagefind-ui__message");
  message.setAttribute("role", "status");
  form.append(input, clear);
  ui.append(form, message, drawer);
  root.append(where, ui);

  const groups = config.filters.map((key, index) => {
    const block = element("details", "pagefind-ui__filter-block");
    const name = element("summary", "pagefind-ui__filter-name", key);
    const values = element("fieldset", "pagefind-ui__filter-group");
    values.append(element("legend", "pagefind-ui__filter-group-label", key));
    block.append(name, values);
    block.addEventListener("toggle", () => { if (block.open) loadFilters(); });
    panel.append(block);
    return { key, index, block, values };
  });

  function say(text) {
    message.textContent = text;
  }

  // --- where to search ---------------------------------------------------------
  function under(path, region) {
    return path === region || path.startsWith(region + "/");
  }

  function holds(part, region) { // some of the region's pages are in the part
    return part.regions.some((r) => under(r, region) || under(region, r)) || part.own.some((r) => under(r, region));
  }

  function within(part, region) { // every regional page of the part is in the region
    return part.regions.every((r) => under(r, region)) && part.own.every((r) => under(r, region));
  }

  function scopes() {
    return state.manifest ? state.manifest.scopes : [];
  }

  function scopeOf(wanted) {
    if (!wanted) return null;
    if (wanted === EVERYWHERE) return EVERYWHERE;
    const all = scopes();
    const exact = all.find((s) => s.path === wanted || s.path.split("/").pop() === wanted);
    if (exact) return exact.path;
    const steps = wanted.split("/"); // a deeper region than any offered: its nearest offered one
    for (let n = steps.length - 1; n > 0; n--) {
      const found = all.find((s) => s.path === steps.slice(0, n).join("/"));
      if (found) return found.path;
    }
    return null;
  }

  function lineage(path) {
    const names = new Map(scopes().map((s) => [s.path, s.name]));
    const steps = path.split("/");
    return steps.map((_, n) => names.get(steps.slice(0, n + 1).join("/"))).filter((name) => name !== undefined);
  }

  function fillScopes() {
    const choose = element("option", null, S.search_js_where_choose);
    choose.value = "";
    choose.disabled = true;
    const everywhere = element("option", null, S.search_js_everywhere);
    everywhere.value = EVERYWHERE;
    whereSelect.append(choose);
    for (const scope of scopes()) {
      const option = element("option", null, "\u00a0\u00a0\u00a0".repeat(scope.depth) + decode(scope.name));
      option.value = scope.path;
      whereSelect.append(option);
    }
    whereSelect.append(everywhere);
    whereSelect.value = state.scope || "";
    where.hidden = false;
  }

  function remember(scope) {
    try { window.localStorage.setItem(STORE, scope); } catch (error) { /* storage off: asked again next time */ }
  }

  function remembered() {
    try { return window.localStorage.getItem(STORE); } catch (error) { return null; }
  }

  // The Pagefind instance for a scope: the site's bundle (the pages of no region,
  // or everything when the index is in one part) and the parts holding the scope.
  // One at a time: a scope chosen while another loads replaces it.
  function instanceFor(scope) {
    if (state.loading && state.loading.scope === scope) return state.loading.promise;
    const token = { scope };
    token.promise = open(scope).then(({ instance, narrow }) => {
      if (state.loading !== token) {
        instance.destroy();
        throw new Error("another place was chosen");
      }
      if (state.instance) state.instance.destroy();
      Object.assign(state, { instance, instanceScope: scope, narrow, filtersLoaded: false, selected: {} });
      for (const group of groups) {
        group.values.replaceChildren(group.values.firstChild);
        group.block.open = false;
        group.block.hidden = false;
      }
      return instance;
    });
    state.loading = token;
    return token.promise;
  }

  async function open(scope) {
    const pagefind = await import(bundle + "pagefind.js");
    const manifest = state.manifest || { parts: [], primary: { regions: [], own: [] } };
    const region = scope && scope !== EVERYWHERE ? scope : null;
    const parts = manifest.parts.filter((part) => !region || holds(part, region));
    const primary = manifest.primary || { regions: [], own: [] };
    const narrow = region !== null && ![primary, ...parts].every((part) => within(part, region));
    const options = { basePath: bundle, excerptLength: 30 };
    // Pages of no region (the guides) join any region's search: they carry the region too.
    if (narrow && !primary.regions.length && !primary.own.length) options.mergeFilter = { [REGION]: lineage(region) };
    const instance = pagefind.createInstance(options);
    await Promise.all(parts.map((part) => instance.mergeIndex(new URL(part.path, bundle).href)));
    return { instance, narrow: narrow ? lineage(region) : null };
  }

  function filters() {
    const chosen = Object.entries(state.selected).filter(([, values]) => values.size)
      .map(([key, values]) => ({ [key]: { any: [...values] } }));
    if (state.narrow) chosen.push({ [REGION]: state.narrow });
    return chosen.length ? { all: chosen } : {};
  }

  // --- searching -----------------------------------------------------------------
  async function run() {
    const sequence = ++state.sequence;
    await ready; // which parts there are, before any search
    if (sequence !== state.sequence) return;
    const query = input.value.trim();
    clear.hidden = !query;
    if (!query) {
      state.shownQuery = "";
      drawer.hidden = true;
      list.replaceChildren();
      more.hidden = true;
      say("");
      return;
    }
    if (state.manifest && state.manifest.parts.length && !state.scope) {
      say(S.search_js_where_first);
      return;
    }
    // A new query is announced while it runs; a filter ticked only changes the count when done.
    if (query !== state.shownQuery) say(fill(S.search_js_searching, { query }));
    let search;
    try {
      const instance = await instanceFor(state.scope);
      search = await instance.search(query, { filters: filters() });
    } catch (error) {
      if (sequence === state.sequence) say(S.search_js_error);
      return;
    }
    const first = await Promise.all(search.results.slice(0, PAGE_SIZE).map((result) => result.data()));
    if (sequence !== state.sequence) return; // a newer search has started
    // The count and the first results change together: what is announced is on the page.
    Object.assign(state, { search, shown: first.length, shownQuery: query });
    list.replaceChildren(...first.map(resultItem));
    more.hidden = state.shown >= search.results.length;
    drawer.hidden = false;
    const count = search.results.length;
    say(count ? plural("search_js_results", count, { query }) : fill(S.search_js_no_results, { query }));
    if (state.filtersLoaded) showFilters(search.filters);
  }

  async function showMore() {
    const sequence = state.sequence;
    const results = state.search.results.slice(state.shown, state.shown + PAGE_SIZE);
    const data = await Promise.all(results.map((result) => result.data()));
    if (sequence !== state.sequence) return;
    state.shown += results.length;
    more.hidden = state.shown >= state.search.results.length;
    for (const page of data) list.append(resultItem(page));
    const next = list.children[state.shown - results.length];
    if (next) next.querySelector("a").focus(); // keyboard users carry on from the first new result
  }

  function resultItem(page) {
    const item = element("li", "pagefind-ui__result");
    const inner = element("div", "pagefind-ui__result-inner");
    const title = element("p", "pagefind-ui__result-title");
    const link = element("a", "pagefind-ui__result-link", page.meta && page.meta.title ? page.meta.title : page.url);
    link.href = page.url;
    title.append(link);
    inner.append(title, excerpt(page.excerpt || ""));
    const tags = element("ul", "pagefind-ui__result-tags");
    for (const key of config.meta) {
      const value = page.meta && page.meta[key];
      if (value) tags.append(element("li", "pagefind-ui__result-tag", key + ": " + value));
    }
    if (tags.childElementCount) inner.append(tags);
    item.append(inner);
    return item;
  }

  // Pagefind's excerpt: escaped page text with <mark> around the words found.
  function excerpt(html) {
    const paragraph = element("p", "pagefind-ui__result-excerpt");
    html.split(/(<mark>|<\/mark>)/).reduce((marked, piece) => {
      if (piece === "<mark>") return true;
      if (piece === "</mark>") return false;
      if (piece) paragraph.append(marked ? element("mark", null, decode(piece)) : decode(piece));
      return marked;
    }, false);
    return paragraph;
  }

  // --- filters -------------------------------------------------------------------------
  async function loadFilters() {
    if (state.filtersLoaded || !input.value.trim() || state.loadingFilters) return;
    const scope = state.scope;
    for (const group of groups) {
      if (group.values.childElementCount < 2) group.values.append(element("p", "rd-search-loading", S.search_js_loading));
    }
    state.loadingFilters = true;
    try {
      const instance = await instanceFor(scope);
      await instance.filters();
      if (instance !== state.instance) return; // another place was chosen meanwhile
      state.filtersLoaded = true;
      // The counts of the current query's results, now that every filter is loaded.
      const search = await instance.search(input.value.trim(), { filters: filters() });
      if (instance === state.instance) showFilters(search.filters);
    } catch (error) {
      if (scope === state.scope) say(S.search_js_error);
    } finally {
      state.loadingFilters = false;
    }
  }

  function showFilters(counts) {
    for (const group of groups) {
      const values = counts[group.key] || {};
      const legend = group.values.firstChild;
      const rows = Object.keys(values).sort((a, b) => decode(a).localeCompare(decode(b), language))
        .filter((value) => values[value] > 0 || (state.selected[group.key] || new Set()).has(value))
        .map((value, n) => filterValue(group, value, values[value], n));
      group.values.replaceChildren(legend, ...rows);
      group.block.hidden = rows.length === 0;
    }
  }

  function filterValue(group, value, count, n) {
    const row = element("div", "pagefind-ui__filter-value");
    const box = element("input", "pagefind-ui__filter-checkbox");
    box.type = "checkbox";
    box.id = `rd-filter-${group.index}-${n}`;
    box.name = group.key;
    box.value = value;
    box.checked = (state.selected[group.key] || new Set()).has(value);
    row.classList.toggle("pagefind-ui__filter-value--checked", box.checked);
    const label = element("label", "pagefind-ui__filter-label", `${decode(value)} (${count})`);
    label.htmlFor = box.id;
    box.addEventListener("change", () => {
      const chosen = state.selected[group.key] || (state.selected[group.key] = new Set());
      if (box.checked) chosen.add(value); else chosen.delete(value);
      row.classList.toggle("pagefind-ui__filter-value--checked", box.checked);
      run();
    });
    row.append(box, label);
    return row;
  }

  // --- events --------------------------------------------------------------------------
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(state.timer);
    run();
  });
  input.addEventListener("input", () => {
    window.clearTimeout(state.timer);
    state.timer = window.setTimeout(run, 300);
  });
  clear.addEventListener("click", () => {
    input.value = "";
    run();
    input.focus();
  });
  more.addEventListener("click", showMore);
  whereSelect.addEventListener("change", () => {
    state.scope = whereSelect.value || null;
    state.shownQuery = null; // another place: announced as a new search
    if (state.scope) remember(state.scope);
    run();
  });

  function start(manifest) {
    const mine = manifest[language] || manifest[language.split("-")[0]];
    state.manifest = mine && Array.isArray(mine.parts) ? mine : null;
    if (state.manifest && state.manifest.parts.length) {
      state.scope = scopeOf(params.get("region")) || scopeOf(remembered());
      fillScopes();
    }
    const query = params.get("q");
    if (query) {
      input.value = query;
      run();
    }
  }

  const ready = fetch(bundle + "parts.json")
    .then((response) => (response.ok ? response.json() : {}))
    .catch(() => ({}))
    .then((manifest) => start(manifest && typeof manifest === "object" ? manifest : {}));
})();
