/* Control over time (mapdash/web/chart.py): the as-of marker follows the slider and the
   address bar in the browser. The figure's layout.meta.eventDates holds the slider's dates;
   shapes[0] is the marker line and annotations[0] its label (mapdash/control_chart.py). */
(function () {
  "use strict";
  var clientside = (window.dash_clientside = window.dash_clientside || {});
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

  function label(date) {
    var parts = ISO_DATE.exec(date);
    return "as of " + Number(parts[3]) + " " + MONTHS[Number(parts[2]) - 1] + " " + parts[1];
  }

  function days(date) {
    return Date.parse(String(date).slice(0, 10) + "T00:00:00Z") / 86400000;
  }

  /* The label goes left of the line in the last third of the axis (as control_chart.py). */
  function labelAnchor(date, range) {
    var start = days(range[0]);
    var end = days(range[1]);
    return days(date) - start > ((end - start) * 2) / 3 ? "right" : "left";
  }

  /* The slider's index of a date: its last event on or before it (0 before the first). */
  function eventIndex(date, dates) {
    var index = 0;
    dates.forEach(function (event, i) {
      if (event <= date) {
        index = i;
      }
    });
    return index;
  }

  /* The view's date: the address bar's while it belongs to the slider's event (a link may
     name a day between two events), else the date of the event the slider is on. */
  function viewDate(index, search, dates) {
    var date = new URLSearchParams(search || "").get("date");
    if (date && ISO_DATE.test(date) && eventIndex(date, dates) === index) {
      return date;
    }
    return dates[index] || null;
  }

  clientside.mapdash_chart = {
    moveMarker: function (index, search, drawn, figure) {
      var none = window.dash_clientside.no_update;
      var layout = figure && figure.layout;
      if (!layout || !layout.meta || !layout.meta.eventDates || !layout.shapes) {
        return none;
      }
      var date = viewDate(index, search, layout.meta.eventDates);
      var shape = layout.shapes[0];
      if (!date || (shape.visible && shape.x0 === date)) {
        return none;
      }
      var anchor = labelAnchor(date, layout.xaxis.range);
      var shift = Math.abs(layout.annotations[0].xshift || 0);
      return new window.dash_clientside.Patch()
        .assign(["layout", "shapes", 0, "x0"], date)
        .assign(["layout", "shapes", 0, "x1"], date)
        .assign(["layout", "shapes", 0, "visible"], true)
        .assign(["layout", "annotations", 0, "x"], date)
        .assign(["layout", "annotations", 0, "text"], label(date))
        .assign(["layout", "annotations", 0, "visible"], true)
        .assign(["layout", "annotations", 0, "xanchor"], anchor)
        .assign(["layout", "annotations", 0, "xshift"], anchor === "left" ? shift : -shift)
        .build();
    },
  };
})();
