"""The one base URL of the links the server writes: pages, embeds, downloads and packs.

    public_base_url()  # "https://indicators.example.org" or "" (relative links)

It comes from the ``INDICATORS_PUBLIC_URL`` environment variable, never from the request: the
Host header (and X-Forwarded-Host) is whatever the client sent, so a link built from it would
let anyone put their own address into an embed page, a permalink in a PNG or a briefing pack,
and into any cache in front of the server that shares those responses. With the variable
unset, links are relative (``/corruption?focus=UZB``): right on the dashboard's own pages and
embeds, and files carry no permalink.

The value must be an absolute http or https URL with a host and nothing after its path (no
query, fragment, user name or password, spaces or control characters); a path prefix is kept
(``https://example.org/indicators``) and a trailing slash dropped. An invalid value is logged
once (as a warning) and treated as unset.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from urllib.parse import urlsplit

from indicators.view.state import ViewState, to_query

ENV_VAR = "INDICATORS_PUBLIC_URL"

_log = logging.getLogger(__name__)
_UNSAFE = re.compile(r"[\x00-\x20\x7f\"'<>\\`{}|^]")


def check_base_url(value: str) -> str:
    """``value`` as a base URL (scheme and host lower-cased, no trailing slash), or
    ValueError saying what is wrong with it."""
    text = value.strip()
    if _UNSAFE.search(text):
        raise ValueError("it contains spaces, quotes or control characters")
    if "?" in text or "#" in text:
        raise ValueError("it has a query or a fragment")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"it is not a URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError("its scheme is not http or https")
    if not parts.hostname:
        raise ValueError("it has no host")
    if "@" in parts.netloc:
        raise ValueError("it has a user name or password")
    host = parts.hostname
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port is None else f"{host}:{port}"
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}"


@functools.lru_cache(maxsize=16)
def _resolve(raw: str) -> str:
    # Cached per value: a bad value is logged once, however many links are made from it.
    if not raw.strip():
        return ""
    try:
        return check_base_url(raw)
    except ValueError as exc:
        _log.warning("%s=%r is ignored: %s; links stay relative.", ENV_VAR, raw[:200], exc)
        return ""


def public_base_url() -> str:
    """The public address of the dashboard from ``INDICATORS_PUBLIC_URL`` (validated), or ""
    for relative links. Never the request's Host. See the module docstring."""
    return _resolve(os.environ.get(ENV_VAR, ""))


__all__ = ["ENV_VAR", "check_base_url", "public_base_url"]


def export_url(chart_id: str, fmt: str, state: ViewState, preset: str | None = None) -> str:
    """Path of a chart download, e.g. ``/export/cpi.png?focus=UZB&preset=square`` (fmt png,
    svg, csv or summary.csv; a preset for PNGs only)."""
    query = to_query(state)
    if preset and fmt == "png":
        query += ("&" if query else "?") + f"preset={preset}"
    return f"/export/{chart_id}.{fmt}{query}"
