/* Accessible names for the date slider's handle, which Dash's Slider does not expose as props:
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

  new MutationObserver(function () {
    label(document);
  }).observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["aria-valuenow"],
  });
})();
