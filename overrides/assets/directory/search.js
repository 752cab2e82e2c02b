// Starts Pagefind's search UI on the search page; reads ?q= from the home page's form.
// A large directory's index comes in parts (search_index.py): parts.json, beside
// the bundle, names each language's further parts, merged here into the first.
(function () {
  var element = document.getElementById("rd-search");
  if (!element || typeof PagefindUI === "undefined") return;
  var bundle = element.getAttribute("data-bundle");
  var language = (document.documentElement.lang || "").toLowerCase();

  function start(parts) {
    var more = (parts[language] || parts[language.split("-")[0]] || []).map(function (part) {
      return { bundlePath: bundle + part };
    });
    var ui = new PagefindUI({
      element: "#rd-search",
      bundlePath: bundle,
      mergeIndex: more,
      showSubResults: false,
      showImages: false,
      resetStyles: false,
      openFilters: [],
    });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  }

  fetch(bundle + "parts.json")
    .then(function (response) { return response.ok ? response.json() : {}; })
    .catch(function () { return {}; })
    .then(function (parts) { start(parts && typeof parts === "object" ? parts : {}); });
})();
