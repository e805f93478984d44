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
