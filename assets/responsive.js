// Maps on narrow screens (a page under NARROW pixels wide). Plotly fits the map's lon/lat
// range into the graph and draws nothing outside it; the dashboard's range is landscape, so
// on a portrait screen the map would be a thin band with the six regions a third of its
// width. Below NARROW pixels each map switches to the view its figure carries in layout.meta.narrowView (a portrait frame
// fitted to the six regions, from mapdash.cartography), and back to its own view above.
(function () {
  "use strict";
  var NARROW = 700;
  var KEYS = [
    "geo.lonaxis.range",
    "geo.lataxis.range",
    "geo.projection.scale",
    "geo.projection.rotation.lon",
    "geo.center.lon",
    "geo.center.lat",
  ];

  function read(layout, key) {
    return key.split(".").reduce(function (node, part) {
      return node === undefined || node === null ? undefined : node[part];
    }, layout);
  }

  function fit(gd) {
    var layout = gd.layout;
    var narrow = layout && layout.meta && layout.meta.narrowView;
    if (!window.Plotly || !narrow || !gd._fullLayout || !gd.clientWidth) {
      return;
    }
    // The page's width, as in the stylesheet: compare mode's maps are narrow on any screen.
    var mode = window.innerWidth < NARROW ? "narrow" : "wide";
    if (gd.dataset.mapdashView === mode) {
      return;
    }
    if (!gd.mapdashWideView) {
      gd.mapdashWideView = {};
      KEYS.forEach(function (key) {
        gd.mapdashWideView[key] = read(layout, key);
      });
    }
    gd.dataset.mapdashView = mode;
    if (mode === "wide" && !gd.dataset.mapdashNarrowed) {
      return; // drawn wide from the start: nothing to undo
    }
    gd.dataset.mapdashNarrowed = "1";
    window.Plotly.relayout(gd, mode === "narrow" ? narrow : gd.mapdashWideView);
  }

  function fitAll() {
    document.querySelectorAll(".map-graph .js-plotly-plot").forEach(fit);
  }

  window.addEventListener("resize", fitAll);
  // The graphs appear after Dash renders the layout, and the second map only in compare mode.
  window.setInterval(fitAll, 500);
})();
