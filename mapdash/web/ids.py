"""Component ids of the dashboard, in one place so layout, callbacks and tests agree."""

from __future__ import annotations

URL = "url"
#: The URL's query when it names a view other than the one drawn (back/forward, an opened link);
#: the URL's echo of what the callback itself wrote is filtered out in the browser.
NAVIGATE = "navigate"
#: What the page shows now: {"search": canonical query, "index": slider index, "data": geodata
#: version, "maps": {"left": ..., "right": ...}} (``maps.MapState`` of each map; None undrawn).
SHOWN = "shown"
#: The maps' paint at every event for the selections shown (``maps.SliderBook``), applied in
#: the browser when the slider moves; BOOK_KEY is the fingerprint of the book the browser holds,
#: BOOK_PAINTED ({"key", "index"}) the step it last painted from it (both written in the browser,
#: assets/mapdash.js, and read by the server).
BOOK = "slider-book"
BOOK_KEY = "slider-book-key"
BOOK_PAINTED = "slider-book-painted"
#: Set once the first view's query has replaced the opened address (no history entry pushed).
FIRST_QUERY = "first-query"
NOTICE = "notice"
SELECTION = "selection"
#: Pattern-matching type of the selector's buttons: {"type": SELECTION_OPTION, "token": ...}.
SELECTION_OPTION = "selection-option"
COMPARE = "compare"
COMPARE_DATE = "compare-date"
SLIDER = "date-slider"
PREVIOUS = "previous-event"
NEXT = "next-event"
PLAY = "play"
TICKER = "play-ticker"
AS_OF = "as-of"
EVENT_NOTE = "event-note"
MAPS = "maps"
MAP_LEFT = "map-left"
MAP_RIGHT = "map-right"
MAP_LEFT_TITLE = "map-left-title"
MAP_RIGHT_TITLE = "map-right-title"
DIFFERENCES = "differences"
LEGEND = "legend"
ON_TABLE = "on-the-table"
REGION_TABLE = "region-table"
#: The side panel's HTML, each block in a store named after its container plus "-html", from
#: which the browser fills the container (render.html_block, showHtml in mapdash.js).
LEGEND_HTML = LEGEND + "-html"
ON_TABLE_HTML = ON_TABLE + "-html"
REGION_TABLE_HTML = REGION_TABLE + "-html"
#: Written by no one: the output of the browser's filling of those containers.
HTML_SHOWN = "html-shown"
# Geodata swapping (web/swap.py): polling, upload form, overlay numbers, alerts.
DATA_POLL = "geodata-poll"
DATA_VERSION = "geodata-version"
#: Set by the browser once the first map is drawn: the page's first poll waits for it, so that
#: nothing but the map is worked on before the map is drawn (assets/mapdash.js).
FIRST_DRAWN = "first-drawn"
UPLOADED = "geodata-uploaded"
GEODATA_ALERT = "geodata-alert"
UPLOAD = "geodata-upload"
UPLOAD_KIND = "geodata-upload-kind"
UPLOAD_DATE = "geodata-upload-date"
UPLOAD_RESULT = "geodata-upload-result"
#: The upload form's second button, shown with the reasons a file was found implausible.
UPLOAD_FORCE = "geodata-upload-force"
CONTROL_MEASURED = "control-measured"
#: The legend's line for the control layer drawn on the map (empty when none is).
LEGEND_CONTROL = "legend-control"
#: The boundaries version a page's maps were built from (its first answer starts there).
PAGE_REGIONS = "page-regions-version"
#: The claims-side data version a page was built from (a newer one offers a refresh).
PAGE_DATA = "page-data-version"
# The editor's layer panel (web/layers_panel.py): the list, what an action did, the buttons'
# pattern-matching type ({"type": LAYER_ACTION, "action": ..., "layer": ...}).
LAYER_PANEL = "layer-panel"
LAYER_LIST = "layer-list"
LAYER_RESULT = "layer-result"
LAYER_ACTION = "layer-action"
# Briefing export (web/download.py): format choice, button, the file, status line.
DOWNLOAD_FORMAT = "download-format"
DOWNLOAD_BUTTON = "download-button"
DOWNLOAD = "download"
DOWNLOAD_STATUS = "download-status"
CREDITS = "data-credits"
# Every-event export in the background (web/batch.py): kind, start, cancel, progress, file.
BATCH_KIND = "batch-kind"
BATCH_BUTTON = "batch-button"
BATCH_CANCEL = "batch-cancel"
BATCH_PROGRESS = "batch-progress"
BATCH_STATUS = "batch-status"
BATCH_DOWNLOAD = "batch-download"
# Control over time (web/chart.py): the chart, why there is none, its frame, what it shows.
CHART = "control-chart"
CHART_NOTE = "control-chart-note"
CHART_FRAME = "control-chart-frame"
CHART_SHOWN = "control-chart-shown"
# The view's data as files (web/state_data.py): links to /api/state.csv and .geojson.
STATE_CSV = "state-csv"
STATE_GEOJSON = "state-geojson"
# The editor's review page at /review/ (web/review.py): the article form, the review kept in
# the page, the article with its highlighted spans, the candidates, the claim editor, saving.
REVIEW_LINK = "review-link"
REVIEW_TITLE = "review-title"
REVIEW_OUTLET = "review-outlet"
REVIEW_PUBLISHED = "review-published"
REVIEW_URL = "review-url"
REVIEW_TEXT = "review-text"
REVIEW_UPLOAD = "review-upload"
#: Reopening an article already in seeds/: the manifest's articles, the button, its message.
REVIEW_REOPEN_ARTICLE = "review-reopen-article"
REVIEW_REOPEN = "review-reopen"
REVIEW_REOPEN_MESSAGE = "review-reopen-message"
REVIEW_EXTRACT = "review-extract"
REVIEW_MESSAGE = "review-message"
REVIEW_DRAFT = "review-draft"
REVIEW_WORK = "review-work"
REVIEW_ARTICLE = "review-article"
REVIEW_ITEMS = "review-items"
#: Pattern-matching type of a candidate's buttons: {"type": ..., "action": ..., "item": id}.
REVIEW_ACTION = "review-action"
#: The text selected in the article: {"purpose": "add" | "add-control" | "quote", "start",
#: "end", "text"}.
REVIEW_SELECTION = "review-selection"
REVIEW_ADD = "review-add"
REVIEW_ADD_CONTROL = "review-add-control"
REVIEW_EDITING = "review-editing"
REVIEW_EDITOR = "review-editor"
REVIEW_EDITOR_TITLE = "review-editor-title"
#: The editor's fields of a claim, and of a control fact (one group is shown at a time).
REVIEW_CLAIM_FIELDS = "review-claim-fields"
REVIEW_CONTROL_FIELDS = "review-control-fields"
REVIEW_EDIT_ACTOR = "review-edit-actor"
REVIEW_EDIT_SPEAKER = "review-edit-speaker"
REVIEW_EDIT_KIND = "review-edit-kind"
REVIEW_EDIT_DATE = "review-edit-date"
REVIEW_EDIT_PRECISION = "review-edit-precision"
REVIEW_EDIT_PROPOSAL = "review-edit-proposal"
REVIEW_EDIT_SUMMARY = "review-edit-summary"
#: Pattern-matching type of the editor's region choices: {"type": ..., "region": id or "*"}.
REVIEW_EDIT_REGION = "review-edit-region"
REVIEW_EDIT_CONTROL_REGION = "review-edit-control-region"
REVIEW_EDIT_HOLDER = "review-edit-holder"
REVIEW_EDIT_AREA = "review-edit-area"
REVIEW_EDIT_SHARE = "review-edit-share"
REVIEW_EDIT_BOUND = "review-edit-bound"
REVIEW_EDIT_SPAN = "review-edit-span"
REVIEW_EDIT_QUOTE = "review-edit-quote"
REVIEW_USE_SELECTION = "review-use-selection"
REVIEW_APPLY = "review-apply"
REVIEW_CANCEL = "review-cancel"
REVIEW_EDIT_MESSAGE = "review-edit-message"
REVIEW_COUNTS = "review-counts"
REVIEW_SAVE = "review-save"
#: "Undo this save" after a save (pattern-matching: ``version`` is the stored version).
REVIEW_UNDO = "review-undo"
REVIEW_RESULT = "review-result"
