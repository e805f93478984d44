/* The editor's review page: the text selected in the article, as character offsets into it.

   The article (#review-article) holds nothing but the article's text, in spans and marks, so
   the text before a point of the selection is the article up to that point; offsets are
   counted in code points, as the server counts them. The selection is remembered as it
   changes (a click on a button may clear it) and handed to the server by a clientside
   callback when the editor asks to add a claim or a control fact, or to quote the selection. */
(function () {
  "use strict";

  var ARTICLE = "review-article";
  var last = null;

  function offsetIn(article, node, offset) {
    var range = document.createRange();
    range.setStart(article, 0);
    range.setEnd(node, offset);
    return Array.from(range.toString()).length;
  }

  function selected() {
    var article = document.getElementById(ARTICLE);
    var selection = window.getSelection();
    if (!article || !selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return null;
    }
    var range = selection.getRangeAt(0);
    if (!article.contains(range.startContainer) || !article.contains(range.endContainer)) {
      return null;
    }
    return {
      start: offsetIn(article, range.startContainer, range.startOffset),
      end: offsetIn(article, range.endContainer, range.endOffset),
      text: range.toString()
    };
  }

  document.addEventListener("selectionchange", function () {
    var found = selected();
    if (found) {
      last = found;
    }
  });

  function selection(addClicks, quoteClicks, controlClicks) {
    var dc = window.dash_clientside;
    if (!addClicks && !quoteClicks && !controlClicks) {
      return dc.no_update;
    }
    var triggered = dc.callback_context.triggered;
    var prop = triggered && triggered.length ? triggered[0].prop_id : "";
    var purpose = "add";
    if (prop.indexOf("review-use-selection.") === 0) {
      purpose = "quote";
    } else if (prop.indexOf("review-add-control.") === 0) {
      purpose = "add-control";
    }
    var found = selected() || last;
    last = null;
    if (!found) {
      return {
        purpose: purpose,
        error: "Select the sentence in the article first (drag over it with the mouse).",
        at: Date.now()
      };
    }
    return {purpose: purpose, start: found.start, end: found.end, text: found.text, at: Date.now()};
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    review: {selection: selection}
  });
})();
