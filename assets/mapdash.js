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
  }

  new MutationObserver(repair).observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["aria-valuenow", "tabindex", "role", "aria-selected"],
  });
})();

/* Clientside callbacks of the dashboard (mapdash/web/callbacks.py). */
(function () {
  "use strict";
  var clientside = (window.dash_clientside = window.dash_clientside || {});

  clientside.mapdash = {
    /* The URL changed: pass it on unless it is the view already drawn (the URL component echoes
       every query the server writes into it). */
    navigate: function (search, shown) {
      if (shown && shown.search === search) {
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

    /* The slider moved: apply the book's paint of that event to both maps at once. A move the
       server made itself (play, previous/next, back/forward) was drawn with it: skip it. */
    paintFromBook: function (index, book, shown) {
      var none = window.dash_clientside.no_update;
      if (!book || !book.pages || !book.pages[index] || (shown && shown.index === index)) {
        return [none, none];
      }
      var page = book.pages[index];
      return [page.left, page.right || none];
    },
  };
})();
