// Starts Pagefind's search UI on the search page; reads ?q= from the home page's form.
(function () {
  var element = document.getElementById("rd-search");
  if (!element || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#rd-search",
    bundlePath: element.getAttribute("data-bundle"),
    showSubResults: false,
    showImages: false,
    resetStyles: false,
    openFilters: [],
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
})();
