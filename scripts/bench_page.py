"""Print page weight and load time of each dashboard view, measured in headless Chromium.

    python scripts/bench_page.py

Bytes are counted as transferred (compressed where the server compressed them) and decoded.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from werkzeug.serving import make_server  # noqa: E402

from indicators.dashboard.app import create_app  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

VIEWS = {"overview": 0, "corruption": 1, "governance": 6, "economy": 5}


def main() -> None:
    from playwright.sync_api import sync_playwright

    server = make_server("127.0.0.1", 0, create_app().server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for view, charts in VIEWS.items():
            page = browser.new_page()
            sizes = []

            def record(response, sizes=sizes):
                try:
                    body = len(response.body())
                except Exception:
                    return
                info = response.request.sizes()
                sent = info["responseBodySize"] + info["responseHeadersSize"]
                sizes.append((response.url, sent, body))

            page.on("response", record)
            start = time.perf_counter()
            page.goto(f"{base}/{view}")
            if charts:
                page.wait_for_function(
                    f"document.querySelectorAll('.chart-graph .main-svg').length >= {charts}",
                    timeout=60000,
                )
            else:
                page.wait_for_selector("#scorecard", timeout=60000)
            elapsed = time.perf_counter() - start
            sent = sum(s for _, s, _ in sizes)
            raw = sum(b for _, _, b in sizes)
            biggest = max(sizes, key=lambda s: s[1])
            print(
                f"{view:11} {len(sizes):3} requests, {sent / 1e6:5.2f} MB transferred "
                f"({raw / 1e6:5.2f} MB decoded), ready in {elapsed:4.2f} s; largest "
                f"{biggest[0].split('/')[-1][:40]} {biggest[1] / 1e6:.2f} MB"
            )
            page.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
