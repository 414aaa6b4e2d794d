// The briefing pack, fetched rather than followed as a link so that the page can show how it
// is going: while the server builds it (an estimate from the number of charts, which the
// link's title names), then while it downloads. When the export queue is full (429) or the
// export browser is being restarted (503) it counts down the server's Retry-After and tries
// again. The server keeps no job state, so any instance can answer.
(function () {
  const SECONDS_PER_CHART = 0.5; // measured: 6 charts ~3 s, 12 charts ~6 s (PNG + SVG each)
  const MAX_TRIES = 6;
  let running = false;

  function show(status, text, value, max) {
    status.textContent = "";
    if (max) {
      const bar = document.createElement("progress");
      bar.max = max;
      bar.value = Math.min(value, max);
      bar.className = "pack-progress";
      bar.setAttribute("aria-label", "Briefing pack progress");
      status.appendChild(bar);
    }
    const span = document.createElement("span");
    span.textContent = text;
    status.appendChild(span);
  }

  function filenameOf(response) {
    const disposition = response.headers.get("Content-Disposition") || "";
    const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
    if (star) return decodeURIComponent(star[1]);
    const plain = /filename="?([^";]+)"?/i.exec(disposition);
    return plain ? plain[1] : "briefing-pack.zip";
  }

  async function readWithProgress(response, status) {
    const total = Number(response.headers.get("Content-Length")) || 0;
    if (!response.body || !total) return await response.blob();
    const reader = response.body.getReader();
    const parts = [];
    let got = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      got += value.length;
      show(status, "Downloading the briefing pack: " + Math.round((100 * got) / total) + "%", got, total);
    }
    return new Blob(parts, { type: "application/zip" });
  }

  async function build(link, status) {
    const charts = parseInt(link.title, 10) || 6;
    const expected = Math.max(2, charts * SECONDS_PER_CHART);
    for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
      const started = performance.now();
      const timer = setInterval(function () {
        const s = (performance.now() - started) / 1000;
        show(status, "Building the briefing pack (" + charts + " charts): " + s.toFixed(0) + " s of about " + expected.toFixed(0) + " s", s, expected * 1.1);
      }, 250);
      let response;
      try {
        response = await fetch(link.href, {
          credentials: "same-origin",
          // a client coming back after a refusal gets a place kept for it (routes.py)
          headers: attempt > 1 ? { "X-Export-Attempt": String(attempt) } : {},
        });
      } finally {
        clearInterval(timer);
      }
      const retry = Number(response.headers.get("Retry-After"));
      if ((response.status === 429 || response.status === 503) && retry && attempt < MAX_TRIES) {
        const why = response.status === 429
          ? "The exporters are busy (the export queue is full)"
          : "Image export is restarting";
        for (let left = Math.min(60, Math.max(1, retry)); left > 0; left--) {
          show(status, why + "; trying again in " + left + " s");
          await new Promise(function (r) { setTimeout(r, 1000); });
        }
        continue;
      }
      if (!response.ok) {
        const text = (await response.text()).trim().slice(0, 300);
        show(status, "The briefing pack could not be built: " + (text || "HTTP " + response.status));
        return;
      }
      const name = filenameOf(response);
      const blob = await readWithProgress(response, status);
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
      show(status, "Briefing pack ready: " + name);
      return;
    }
  }

  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest("#pack-link");
    if (!link || !window.fetch) return; // no fetch: the plain link downloads the pack
    event.preventDefault();
    const status = document.getElementById("pack-status");
    if (running || !status) return;
    running = true;
    link.setAttribute("aria-busy", "true");
    build(link, status)
      .catch(function (err) { show(status, "The briefing pack could not be built: " + err.message); })
      .finally(function () { running = false; link.removeAttribute("aria-busy"); });
  });
})();
