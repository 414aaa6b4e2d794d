// Chart image downloads (a.download-link to /export/<chart>.png|svg) fetched rather than followed,
// so that the page can say what is happening: waiting for the export queue, drawing, and, when
// the queue is full (429) or the export browser is being restarted (503), when it tries again,
// after the server's Retry-After. Without fetch the plain link downloads the file.
(function () {
  const MAX_TRIES = 8;
  const MAX_WAIT_S = 60;
  const busy = new WeakSet();

  function statusFor(link) {
    let status = link.parentElement.querySelector(".download-status");
    if (!status) {
      status = document.createElement("span");
      status.className = "download-status";
      status.setAttribute("role", "status");
      link.parentElement.appendChild(status);
    }
    return status;
  }

  function filenameOf(response, fallback) {
    const disposition = response.headers.get("Content-Disposition") || "";
    const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
    if (star) return decodeURIComponent(star[1]);
    const plain = /filename="?([^";]+)"?/i.exec(disposition);
    return plain ? plain[1] : fallback;
  }

  function save(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  function countdown(status, label, seconds) {
    return new Promise(function (resolve) {
      let left = seconds;
      status.textContent = label + " trying again in " + left + " s";
      const timer = setInterval(function () {
        left -= 1;
        if (left <= 0) {
          clearInterval(timer);
          resolve();
          return;
        }
        status.textContent = label + " trying again in " + left + " s";
      }, 1000);
    });
  }

  async function download(link, status) {
    const label = link.textContent.trim();
    for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
      const started = performance.now();
      const timer = setInterval(function () {
        const s = Math.round((performance.now() - started) / 1000);
        status.textContent = label + ": " + (s < 1 ? "queued" : "drawing the image, " + s + " s");
      }, 500);
      status.textContent = label + ": queued";
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
        const why = response.status === 429 ? "The export queue is full;" : "Image export is restarting;";
        await countdown(status, label + ": " + why, Math.min(MAX_WAIT_S, Math.max(1, retry)));
        continue;
      }
      if (!response.ok) {
        const text = (await response.text()).trim().slice(0, 300);
        status.textContent = label + " could not be made: " + (text || "HTTP " + response.status);
        return;
      }
      const name = filenameOf(response, link.pathname.split("/").pop());
      save(await response.blob(), name);
      status.textContent = label + " downloaded: " + name;
      return;
    }
  }

  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest("a.download-link");
    if (!link || !window.fetch || !/^\/export\/[^/]+\.(png|svg)$/.test(link.pathname)) return;
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    if (busy.has(link)) return;
    busy.add(link);
    link.setAttribute("aria-busy", "true");
    const status = statusFor(link);
    download(link, status)
      .catch(function (err) { status.textContent = "The download failed: " + err.message; })
      .finally(function () { busy.delete(link); link.removeAttribute("aria-busy"); });
  });
})();
