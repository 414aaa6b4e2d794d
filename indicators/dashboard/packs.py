"""Adapter from the pack button to the briefing-pack builder (kept apart so that the app still
starts when image export is unavailable)."""

from __future__ import annotations

from dash import dcc

BASE_URL = "http://127.0.0.1:8050"


def download_pack(bundle, state):
    """(dcc.Download data, status text) for the pack of the current view."""
    try:
        from indicators.exports.pack import PackBusy, build_pack, pack_filename
    except ImportError as exc:  # pragma: no cover - only while the pack module is missing
        return None, f"The briefing pack is not available: {exc}"
    try:
        data = build_pack(bundle, state, BASE_URL)
    except PackBusy as exc:
        return None, str(exc)
    except Exception as exc:  # export unavailable (no browser) or a rendering failure
        return None, f"The briefing pack could not be built: {exc}"
    return dcc.send_bytes(data, pack_filename(bundle, state)), "Briefing pack ready."
