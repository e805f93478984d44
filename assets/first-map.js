/* The first page's layout and first map (web/first_page.py). Loaded right after plotly.js and
   before React and Dash:
   - Dash's first request for the layout is answered from the JSON block the index carries,
     one round trip fewer;
   - when the index has the page's static frame (an address that names no view), its first
     map is there already, an SVG drawn on the server (web/first_image.py), or else the
     layout's first map is drawn into it as a static plot while Dash's scripts still load.
     When Dash's page mounts, that map moves into Dash's map box over Dash's graph and the
     frame goes; once Dash has drawn its own map, the static one is removed. */
(function () {
  "use strict";
  var block = document.getElementById("mapdash-layout");
  if (!block) {
    return;
  }
  var text = block.textContent;
  block.remove();

  var served = false;
  var originalFetch = window.fetch;
  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : (input && input.url) || "";
    var method = ((init && init.method) || (input && input.method) || "GET").toUpperCase();
    if (!served && method === "GET" && /\/_dash-layout(\?|$)/.test(url)) {
      served = true;
      return Promise.resolve(
        new Response(text, { status: 200, headers: { "Content-Type": "application/json" } })
      );
    }
    return originalFetch.apply(this, arguments);
  };

  var page = document.getElementById("first-page");
  var box = document.getElementById("first-map");
  if (!page || !box) {
    return;
  }
  function dropFrame() {
    if (page.parentNode) {
      page.remove();
    }
  }
  /* Phones stack the page in another order; there the frame would not match Dash's page
     (the stylesheet hides it at the same width). */
  var image = box.querySelector(".first-map-image");
  if ((!image && !window.Plotly) || window.matchMedia("(max-width: 700px)").matches) {
    dropFrame();
    return;
  }

  function findGraph(node, id) {
    if (!node || typeof node !== "object") {
      return null;
    }
    if (Array.isArray(node)) {
      for (var i = 0; i < node.length; i++) {
        var found = findGraph(node[i], id);
        if (found) {
          return found;
        }
      }
      return null;
    }
    var props = node.props || {};
    if (props.id === id && props.figure) {
      return props;
    }
    return findGraph(props.children, id);
  }

  function drawStatic() {
    var graph;
    try {
      graph = findGraph(JSON.parse(text), "map-left");
    } catch (err) {
      graph = null;
    }
    if (!graph || !graph.figure.data) {
      return null;
    }
    var config = Object.assign({}, graph.config || {}, { staticPlot: true, responsive: false });
    /* A static map has no use for the traces the first view hides (hatching and dotted
       outlines at opacity 0, an absent control line): leaving them out halves plotly's draw.
       The server's image leaves out the same (web/first_image.py: shown_figure). */
    var shown = graph.figure.data.filter(function (trace) {
      return trace.opacity !== 0 && trace.visible !== false;
    });
    return window.Plotly.newPlot(box, shown, graph.figure.layout || {}, config);
  }

  /* The server's image scales with its box; a plot drawn here is resized with plotly. */
  var drawn = image ? null : drawStatic();
  if (!image && !drawn) {
    dropFrame();
    return;
  }

  function dashMapDrawn() {
    return document.querySelector("#map-left path.choroplethlocation") !== null;
  }

  var moved = false;
  var observer = new MutationObserver(function () {
    if (!moved) {
      var title = document.getElementById("map-left-title");
      var target = title && title.parentElement && title.parentElement.querySelector(".map-frame");
      if (!target) {
        return;
      }
      moved = true;
      var width = box.clientWidth;
      var height = box.clientHeight;
      target.appendChild(box);
      dropFrame();
      if (drawn && (box.clientWidth !== width || box.clientHeight !== height)) {
        Promise.resolve(drawn).then(function () {
          window.Plotly.Plots.resize(box);
        });
      }
    }
    if (dashMapDrawn()) {
      observer.disconnect();
      /* One frame later: Dash's map is painted under it by then. */
      requestAnimationFrame(function () {
        if (drawn) {
          window.Plotly.purge(box);
        }
        box.remove();
      });
    }
  });
  observer.observe(document.body, { childList: true, subtree: true });
})();
