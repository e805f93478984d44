/* The maps draw every land and border from the app's own GeoJSON, with all of plotly's geo base
   layers off; plotly's geo subplot still loads a world topojson before its first draw. An empty
   topology of the layer names it looks up spares the browser that 40 KiB request. Exports read
   the real files in assets/topojson/ (mapdash.export). */
(function () {
  "use strict";
  var layers = ["coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits"];
  var objects = {};
  layers.forEach(function (name) {
    objects[name] = { type: "GeometryCollection", geometries: [] };
  });
  var blank = { type: "Topology", objects: objects, arcs: [] };
  window.PlotlyGeoAssets = window.PlotlyGeoAssets || {};
  window.PlotlyGeoAssets.topojson = Object.assign(
    { world_110m: blank, world_50m: blank },
    window.PlotlyGeoAssets.topojson || {}
  );
})();
