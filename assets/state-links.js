/* The "Data for this view" links follow the address bar's view (mapdash/web/state_data.py):
   the dashboard's date and sel become the API's date and selection. */
(function () {
  "use strict";
  var clientside = (window.dash_clientside = window.dash_clientside || {});

  function link(href, params) {
    var path = String(href || "").split("?")[0];
    var query = params
      .map(function (pair) {
        return pair[0] + "=" + encodeURIComponent(pair[1]).replace(/%3A/gi, ":");
      })
      .join("&");
    return query ? path + "?" + query : path;
  }

  clientside.mapdash_data = {
    stateLinks: function (search, csvHref, geojsonHref) {
      var view = new URLSearchParams(search || "");
      var params = [];
      if (view.get("date")) {
        params.push(["date", view.get("date")]);
      }
      if (view.get("sel")) {
        params.push(["selection", view.get("sel")]);
      }
      var csv = link(csvHref, params);
      var geojson = link(geojsonHref, params);
      if (csv === csvHref && geojson === geojsonHref) {
        return [window.dash_clientside.no_update, window.dash_clientside.no_update];
      }
      return [csv, geojson];
    },
  };
})();
