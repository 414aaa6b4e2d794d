"""Build the Dash app: layout, callbacks and routes wired together (no logic of its own)."""

from __future__ import annotations

from pathlib import Path

from dash import Dash

from indicators.data.loading import DATA_DIR
from indicators.view.params import VIEWS
from indicators.web import layout
from indicators.web.callbacks import register_callbacks
from indicators.web.security import register_security
from indicators.web.static import register_compressed_static
from indicators.web.store import DataStore

ASSETS = Path(__file__).resolve().parents[2] / "assets"

# Dash's page with the language declared (screen readers pick their voice from it) and its
# scripts in a plain div: Dash's <footer> would be a second contentinfo landmark.
INDEX_STRING = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <div class="dash-scripts">
            {%config%}
            {%scripts%}
            {%renderer%}
        </div>
    </body>
</html>
"""


def _export_status():
    from indicators.exports import export_available

    return export_available()


def create_app(data_dir: Path = DATA_DIR, export_status=_export_status) -> Dash:
    store = DataStore(data_dir)
    app = Dash(
        __name__,
        assets_folder=str(ASSETS),
        title="Reform indicators: Kazakhstan and its neighbours",
        suppress_callback_exceptions=True,
        update_title=None,
        serve_locally=True,
        compress=True,  # flask-compress: pages, layout and callback responses
        assets_ignore=r"embed-resize\.js",  # for pages that embed a chart, served by /embed/
    )
    app.index_string = INDEX_STRING
    app.layout = lambda: layout.shell(store.current())
    register_callbacks(app, store, export_status)
    try:
        from indicators.web.routes import register_routes
    except ImportError:  # routes land with the export work
        register_routes = None
    if register_routes is not None:
        register_routes(app.server, store, export_status=export_status)
    register_compressed_static(app.server)  # scripts, styles, fonts: compressed once
    # headers (CSP, nosniff, framing), body limit, callback checks, errors; Dash's catch-all
    # page route kept for the views only (/overview, /corruption, ...), anything else is a 404
    register_security(app, pages=VIEWS)
    return app
