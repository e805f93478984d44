/* Accessibility repairs for Dash components. Accessible names for the date slider's handle, which Dash's Slider does not expose as props:
   a label, and the event date as the value text instead of the bare event index. */
(function () {
  "use strict";

  function markLabels(slider) {
    return Array.from(slider.querySelectorAll(".dash-slider-mark")).map(function (mark) {
      return mark.textContent.trim();
    });
  }

  function label(root) {
    root.querySelectorAll(".slider .dash-slider-thumb").forEach(function (thumb) {
      var slider = thumb.closest(".slider");
      if (thumb.getAttribute("aria-label") !== "Event date") {
        thumb.setAttribute("aria-label", "Event date");
      }
      var labels = markLabels(slider);
      var index = Number(thumb.getAttribute("aria-valuenow"));
      var text = labels[index];
      if (text && thumb.getAttribute("aria-valuetext") !== text) {
        thumb.setAttribute("aria-valuetext", text);
      }
    });
  }

  /* Dash 4's Dropdown puts an aria-hidden, focusable input in front of its trigger button and
     forwards focus to the button; let Tab reach the button itself instead. */
  function dropdowns(root) {
    root.querySelectorAll(".dash-dropdown-focus-target").forEach(function (input) {
      var button = input.parentElement && input.parentElement.querySelector("button.dash-dropdown");
      if (!button) {
        return;
      }
      if (input.getAttribute("tabindex") !== "-1") {
        input.setAttribute("tabindex", "-1");
      }
      if (button.getAttribute("tabindex") !== "0") {
        button.setAttribute("tabindex", "0");
      }
    });
  }

  /* Dash 4's RadioItems and Checklist mark a list of native inputs as a listbox of options,
     which nests interactive controls; the native inputs in their labels need no roles. */
  function optionLists(root) {
    root.querySelectorAll(".dash-options-list[role='listbox']").forEach(function (list) {
      if (list.closest(".dash-dropdown-content, [role='dialog']")) {
        return;
      }
      list.removeAttribute("role");
      list.querySelectorAll("label[role='option']").forEach(function (option) {
        option.removeAttribute("role");
        option.removeAttribute("aria-selected");
      });
    });
  }

  /* Dash 4's Dropdown names its button by its value alone ("No comparison"); a screen reader
     should hear the field too ("Second map shows No comparison"): its <label for> comes first. */
  function dropdownNames(root) {
    root.querySelectorAll("button.dash-dropdown[id]").forEach(function (button) {
      var label = document.querySelector("label[for='" + button.id + "'][id]");
      var ids = (button.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
      if (label && ids[0] !== label.id) {
        ids = [label.id].concat(ids.filter(function (id) { return id !== label.id; }));
        button.setAttribute("aria-labelledby", ids.join(" "));
      }
    });
  }

  /* dcc.Upload's hidden file input is named after the visible drop zone's text. */
  function uploads(root) {
    root.querySelectorAll("input[type='file']:not([aria-label])").forEach(function (input) {
      var zone = input.parentElement;
      var text = zone ? zone.textContent.trim() : "";
      input.setAttribute("aria-label", text || "Choose a file to upload");
    });
  }

  function repair() {
    label(document);
    dropdowns(document);
    optionLists(document);
    uploads(document);
    dropdownNames(document);
  }

  new MutationObserver(repair).observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["aria-valuenow", "tabindex", "role", "aria-selected", "aria-labelledby"],
  });
})();

/* Clientside callbacks of the dashboard (mapdash/web/callbacks.py). */
(function () {
  "use strict";
  var clientside = (window.dash_clientside = window.dash_clientside || {});

  function graphOf(mapId) {
    return document.querySelector("#" + mapId + " .js-plotly-plot");
  }

  /* Copy a paint's values into one of plotly's arrays without replacing it: the figure Dash
     holds, plotly's defaults and the drawn map all share it. */
  function copyInto(target, values) {
    if (!target || !values) {
      return;
    }
    for (var i = 0; i < values.length; i++) {
      target[i] = values[i];
    }
  }

  function setRegionArrays(trace, paint) {
    copyInto(trace.z, paint.z);
    copyInto(trace.hovertext, paint.hovertext);
    var line = trace.marker && trace.marker.line;
    if (line) {
      copyInto(line.width, paint.lineWidth);
    }
  }

  /* Apply a map's paint (mapdash/web/maps.py, paint_data) to the drawn map in place: the six
     regions' fills, outline widths and hover text, the hatching and dotted outlines' opacity.
     Plotly's own copies (the figure's data, its defaults and the computed points the hover
     label and any later redraw read) are changed too, so that hover, zoom, resizing and a
     later redraw show the same colours. A few attribute changes, no redraw of the geo subplot
     (a redraw rebuilds every path of the context too). Returns false if the map is not drawn. */
  function paintMap(gd, paint) {
    var index = paint.trace;
    var data = gd && gd.data && gd.data[index];
    var full = gd && gd._fullData && gd._fullData[index];
    var points = gd && gd.calcdata && gd.calcdata[index];
    if (!data || !full || !points || !points[0] || !points[0].node3) {
      return false;
    }
    setRegionArrays(data, paint);
    setRegionArrays(full, paint);
    points.forEach(function (point) {
      var i = point.index;
      point.z = paint.z[i];
      point.htx = paint.hovertext[i];
      point.mlw = paint.lineWidth[i];
    });
    points[0].node3.node().querySelectorAll("path.choroplethlocation").forEach(function (path) {
      var point = path.__data__;
      if (!point) {
        return;
      }
      path.setAttribute("fill", paint.fill[point.index]);
      path.style.strokeWidth = paint.lineWidth[point.index] + "px";
    });
    paint.opacity.forEach(function (pair) {
      var trace = pair[0];
      var opacity = pair[1];
      var group = gd.calcdata[trace] && gd.calcdata[trace][0] && gd.calcdata[trace][0].node3;
      if (gd.data[trace]) {
        gd.data[trace].opacity = opacity;
      }
      if (gd._fullData[trace]) {
        gd._fullData[trace].opacity = opacity;
      }
      if (group) {
        group.node().style.opacity = opacity;
      }
    });
    var annotations = gd.layout.annotations || [];
    if (JSON.stringify(annotations) !== JSON.stringify(paint.annotations)) {
      // The notice over the map ("Not yet proposed ..."): rare, and plotly draws it alone.
      window.Plotly.relayout(gd, { annotations: paint.annotations });
    }
    gd.dispatchEvent(new CustomEvent("mapdash:painted", { bubbles: true }));
    return true;
  }

  /* Paint a map now, or as soon as it is drawn (a key pressed while the page still loads). */
  function paintSoon(mapId, paint) {
    var deadline = performance.now() + 10000;
    (function attempt() {
      if (!paintMap(graphOf(mapId), paint) && performance.now() < deadline) {
        window.requestAnimationFrame(attempt);
      }
    })();
  }

  /* Slider steps, painted from the slider book the moment the slider's handle moves, before
     Dash has even started the step's callbacks. Only moves the user makes on the slider are
     painted here: a move the server makes (play, previous/next, back/forward) comes with its
     own paint. What was painted is written into the BOOK_PAINTED store, which the step's
     request carries, so that the server sends the map itself whenever the browser did not
     paint exactly that step from exactly that book. */
  var SLIDER = "date-slider";
  var BOOK_PAINTED = "slider-book-painted";
  var book = null;
  var keyed = 0;
  var pressed = false;
  var released = 0;

  function onSlider(event) {
    return event.target && event.target.closest && event.target.closest("#" + SLIDER);
  }

  document.addEventListener("keydown", function (event) {
    if (onSlider(event)) {
      keyed = performance.now();
    }
  }, true);
  document.addEventListener("pointerdown", function (event) {
    if (onSlider(event)) {
      pressed = true;
    }
  }, true);
  document.addEventListener("pointerup", function () {
    if (pressed) {
      pressed = false;
      released = performance.now();
    }
  }, true);

  function userMoving() {
    var now = performance.now();
    return pressed || now - keyed < 500 || now - released < 200;
  }

  function paintStep(index) {
    var page = book && book.pages && book.pages[index];
    if (!page) {
      return;
    }
    keyed = 0; // one key press, one step
    paintSoon("map-left", page.left);
    if (page.right) {
      paintSoon("map-right", page.right);
    }
    window.dash_clientside.set_props(BOOK_PAINTED, { data: { key: book.key, index: index } });
  }

  new MutationObserver(function (records) {
    records.forEach(function (record) {
      var thumb = record.target;
      if (thumb.closest("#" + SLIDER) && userMoving()) {
        paintStep(Number(thumb.getAttribute("aria-valuenow")));
      }
    });
  }).observe(document.documentElement, {
    subtree: true,
    attributes: true,
    attributeFilter: ["aria-valuenow"],
  });

  /* What the side panel's HTML may contain: the elements and attributes that
     mapdash/web/render.py writes. Anything else is dropped (its text kept), so that text from
     a claims file can never become markup, whatever escaping missed. */
  var TAGS = new Set([
    "ARTICLE", "BLOCKQUOTE", "BR", "CAPTION", "DETAILS", "DIV", "FIGCAPTION", "FIGURE",
    "H3", "HEADER", "LI", "P", "SPAN", "STRONG", "SUMMARY", "TABLE", "TBODY", "TD", "TFOOT",
    "TH", "THEAD", "TIME", "TR", "UL",
  ]);
  var ATTRIBUTES = new Set(["class", "title", "datetime", "scope", "colspan", "aria-hidden"]);
  var SWATCH_STYLE = /^background-color: #[0-9A-Fa-f]{6}$/;

  function allowed(attribute) {
    var name = attribute.name;
    if (ATTRIBUTES.has(name) || /^data-[a-z0-9-]+$/.test(name)) {
      return true;
    }
    return name === "style" && SWATCH_STYLE.test(attribute.value);
  }

  function sanitise(node) {
    Array.from(node.children).forEach(function (child) {
      if (!TAGS.has(child.tagName)) {
        child.replaceWith(document.createTextNode(child.textContent));
        return;
      }
      Array.from(child.attributes).forEach(function (attribute) {
        if (!allowed(attribute)) {
          child.removeAttribute(attribute.name);
        }
      });
      sanitise(child);
    });
  }

  /* Put a block of the side panel's HTML into its container (the store "<id>-html" fills the
     element "<id>"); the HTML is parsed inert, in a template, and sanitised first. */
  function showBlock(storeId, markup) {
    var container = document.getElementById(storeId.replace(/-html$/, ""));
    if (!container || typeof markup !== "string" || container.mapdashHtml === markup) {
      return;
    }
    var template = document.createElement("template");
    template.innerHTML = markup;
    sanitise(template.content);
    container.replaceChildren(template.content);
    container.mapdashHtml = markup;
  }

  clientside.mapdash = {
    /* The URL changed: pass it on unless it is the view already drawn (the URL component echoes
       every query the server writes into it). */
    navigate: function (search, shown) {
      /* Before the page's first answer (shown is None) the address is dcc.Location's own
         report on mounting: that first answer reads it (it follows the first poll). */
      if (!shown || shown.search === search) {
        return window.dash_clientside.no_update;
      }
      return search;
    },

    /* First load: put the canonical query of the first view in place of the opened address,
       replacing the history entry rather than pushing one (Back then leaves the app), and let
       dcc.Location read the new address. */
    replaceFirstQuery: function (shown, done) {
      if (done || !shown || !shown.search) {
        return window.dash_clientside.no_update;
      }
      if (window.location.search !== shown.search) {
        window.history.replaceState(window.history.state, "", shown.search + window.location.hash);
        window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
      }
      return true;
    },

    /* A new slider book arrived: hold it for the slider's steps, and say which one is held. */
    holdBook: function (data) {
      book = data && data.pages ? data : null;
      return book ? book.key : null;
    },

    /* The side panel's blocks of HTML changed (or the page opened): show them. */
    showHtml: function () {
      var inputs = window.dash_clientside.callback_context.inputs_list;
      for (var i = 0; i < inputs.length; i++) {
        showBlock(inputs[i].id, arguments[i]);
      }
      return window.dash_clientside.no_update;
    },
  };
})();

/* The first map drawn: tell the page (ids.FIRST_DRAWN), whose first poll waits for it and then
   starts the other callbacks (mapdash/web/swap.py), so that they do not compete with the map's
   first draw. The poll's timer starts them anyway if the map is never drawn. */
(function () {
  "use strict";
  var FIRST_DRAWN = "first-drawn";
  var MAP = "map-left";
  var told = false;

  function tell() {
    if (!told && window.dash_clientside && window.dash_clientside.set_props) {
      told = true;
      window.dash_clientside.set_props(FIRST_DRAWN, { data: true });
    }
  }

  var watching = null;
  var observer = new MutationObserver(function () {
    var gd = document.querySelector("#" + MAP + " .js-plotly-plot");
    if (told || !gd) {
      return;
    }
    if (gd.querySelector("path.choroplethlocation")) {
      observer.disconnect();
      tell();
    } else if (watching !== gd && gd.on) {
      watching = gd;
      gd.on("plotly_afterplot", function () {
        observer.disconnect();
        tell();
      });
    }
  });
  observer.observe(document.documentElement, { subtree: true, childList: true });
})();
