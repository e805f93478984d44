/* Accessible names for the review page's dropdowns and file input.

   Dash 4's Dropdown names its trigger button by its value alone (aria-labelledby points at the
   value), so a screen reader hears "Russia" with no word of which field it is. The button is
   labelled by its field's label, or its region's name, then its value ("Actor Russia",
   "Donetsk To Russia, whole region"), as the combobox pattern has it. dcc.Upload's hidden file
   input is named after the drop zone's text. */
(function () {
  "use strict";

  function labelBy(button, label) {
    if (!label.id) {
      label.id = button.id + "-label";
    }
    var ids = (button.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
    if (ids[0] !== label.id) {
      ids = [label.id].concat(ids.filter(function (id) { return id !== label.id; }));
      button.setAttribute("aria-labelledby", ids.join(" "));
    }
  }

  function repair() {
    document.querySelectorAll(".review-field, .review-region").forEach(function (field) {
      var label = field.querySelector("label, .review-region-name");
      var button = field.querySelector("button.dash-dropdown[id]");
      if (label && button) {
        labelBy(button, label);
      }
    });
    document.querySelectorAll("input[type='file']:not([aria-label])").forEach(function (input) {
      var zone = input.parentElement;
      input.setAttribute("aria-label", (zone && zone.textContent.trim()) || "Choose a file to upload");
    });
  }

  new MutationObserver(repair).observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["aria-labelledby"],
  });
  document.addEventListener("DOMContentLoaded", repair);
})();
