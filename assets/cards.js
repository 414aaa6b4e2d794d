// What a chart card (or the map's) shows under its plot, drawn in the browser from JSON in
// three attributes that the callbacks update with each change of settings, instead of
// re-rendering dozens of Dash components per card:
// - data-details (layout.details_json): source line, reform events, Share menu, Sources,
//   Embed, and the plot's accessible name and description. A disclosure that was open
//   (Share, Sources, Embed) stays open when the card is drawn again.
// - data-table (layout.table_json): the data table's summary line, and the address of its
//   rows, fetched and drawn when it is opened, and again while open when the view changes.
// - data-summary (summary_view.summary_json): the Summary table (first and last value,
//   change, place), drawn when opened; each column header is a button that sorts by that
//   column (again: the other way), announced through aria-sort; and its CSV link.
// Every text goes in as a text node or an attribute, never as HTML.
(function () {
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      const value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(child);
    });
    return node;
  }

  function events(d) {
    if (d.events.length) {
      return el("ol", { class: "chart-events", "aria-label": d.eventsLabel }, d.events.map(function (e) {
        return el("li", { value: e[0], text: e[1] });
      }));
    }
    return d.eventsNote ? el("p", { class: "note", text: d.eventsNote }) : null;
  }

  function share(d) {
    const buttons = d.copies.map(function (c) {
      return el("button", {
        type: "button", class: "share-button", "data-share": c[1],
        "data-text": c[2] || null, "data-path": c[3] || null, text: c[0],
      });
    });
    const links = d.downloads.map(function (link) {
      return el("a", { class: "download-link", href: link[1], download: true, text: link[0] });
    });
    if (d.unavailable) links.push(el("span", { class: "export-unavailable", text: d.unavailable }));
    return el("details", { class: "share" }, [
      el("summary", { "aria-label": d.share, text: "Share" }),
      el("div", { class: "share-body" }, [
        el("div", { class: "share-buttons" }, buttons),
        el("div", { class: "downloads" }, [el("span", { class: "downloads-label", text: "Download:" })].concat(links)),
        el("p", { class: "share-status", role: "status" }),
      ]),
    ]);
  }

  function sources(d) {
    return el("details", { class: "chart-sources" }, [
      el("summary", { text: "Sources" }),
      el("ul", {}, d.citations.map(function (c) { return el("li", { text: c }); })),
      el("p", { class: "source-line", text: d.source }),
    ].concat(d.notes.map(function (n) { return el("p", { class: "note", text: "Note: " + n }); })));
  }

  function embed(d) {
    if (!d.snippet) return null;
    const box = el("textarea", { readonly: true, class: "embed-snippet" });
    box.value = d.snippet;
    return el("details", { class: "chart-embed" }, [
      el("summary", { text: "Embed" }),
      d.embedNote ? el("p", { class: "note", text: d.embedNote }) : null,
      el("label", { class: "embed-field" }, [el("span", { class: "embed-label", text: d.embedLabel }), box]),
    ]);
  }

  function draw(box) {
    const d = JSON.parse(box.getAttribute("data-details"));
    const card = JSON.parse(box.id).chart;
    const open = new Set(Array.from(box.querySelectorAll("details[open]")).map(function (x) {
      return x.className;
    }));
    const lines = d.notes.map(function (n) { return "Note: " + n; }).concat(d.lines);
    box.replaceChildren.apply(box, [
      el("div", { class: "source-line chart-source" }, [el("p", { text: d.source })].concat(
        lines.map(function (line) { return el("p", { text: line }); }))),
      events(d),
      el("div", { class: "chart-actions" }, [share(d), sources(d), embed(d)]),
      el("p", { class: "visually-hidden", id: "chart-name-" + card, text: d.title }),
      el("p", { class: "visually-hidden", id: "chart-alt-" + card, text: d.alt }),
    ].filter(Boolean));
    box.querySelectorAll("details").forEach(function (x) {
      if (open.has(x.className)) x.open = true;
    });
  }

  function drawTable(box) {
    const d = JSON.parse(box.getAttribute("data-table"));
    const summary = box.querySelector("summary");
    const text = summary && summary.firstChild;
    // the text node React made: changed in place, so React's own reference stays valid
    if (text && text.nodeType === Node.TEXT_NODE) text.nodeValue = d.summary;
    const body = box.querySelector(".table-scroll");
    if (!body || !box.open || body.__rows === d.rows) return;
    body.__rows = d.rows;
    if (!body.firstChild) body.replaceChildren(el("p", { class: "note", text: "Loading the table…" }));
    const current = function () { return body.__rows === d.rows; };
    fetch(d.rows, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (table) {
        if (current()) body.replaceChildren(tableOf(table));
      })
      .catch(function (error) {
        if (!current()) return;
        body.__rows = null; // opening it again tries again
        body.replaceChildren(el("p", {
          class: "note", role: "status", text: "The table could not be loaded (" + error.message + "). Close and open it to try again.",
        }));
      });
  }

  function tableOf(d) {
    const numeric = new Set(d.numeric || []);
    const cell = function (tag, value, i) {
      return el(tag, { class: numeric.has(i) ? "num" : null, scope: tag === "th" ? "col" : null, text: value });
    };
    return el("table", { class: "data-table" }, [
      el("thead", {}, [el("tr", {}, d.header.map(function (h, i) { return cell("th", h, i); }))]),
      el("tbody", {}, d.rows.map(function (row) {
        return el("tr", {}, row.map(function (v, i) { return cell("td", v, i); }));
      })),
    ]);
  }

  function drawSummary(box) {
    const d = JSON.parse(box.getAttribute("data-summary"));
    const link = box.querySelector(".downloads a.download-link");
    if (link) link.setAttribute("href", d.csv);
    const body = box.querySelector(".summary-body");
    if (!body) return;
    body.__summary = d;
    if (box.open) summaryDraw(body, -1, 1);
  }

  function summaryCompare(a, b) {
    if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
    if (b === null || b === undefined) return -1;
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b));
  }

  function summaryDraw(body, column, direction) {
    const data = body.__summary;
    const numeric = new Set(data.numeric || []);
    const order = data.rows.map(function (_, i) { return i; });
    if (column >= 0) {
      order.sort(function (i, j) {
        const a = data.keys[i][column];
        const b = data.keys[j][column];
        if (a === null || a === undefined || b === null || b === undefined) return summaryCompare(a, b);
        return direction * summaryCompare(a, b);
      });
    }
    const head = el("tr", {}, data.header.map(function (label, i) {
      const button = el("button", { type: "button", class: "sort-button", text: label });
      button.addEventListener("click", function () {
        summaryDraw(body, i, i === column ? -direction : 1);
        const again = body.querySelectorAll("th button")[i];
        if (again) again.focus();
      });
      return el("th", {
        scope: "col", class: numeric.has(i) ? "num" : null,
        "aria-sort": i === column ? (direction > 0 ? "ascending" : "descending") : "none",
      }, [button]);
    }));
    const rows = order.map(function (r) {
      return el("tr", {}, data.rows[r].map(function (text, i) {
        return el("td", { class: numeric.has(i) ? "num" : null, text: text });
      }));
    });
    body.replaceChildren(el("table", { class: "data-table summary-table" }, [
      el("thead", {}, [head]), el("tbody", {}, rows),
    ]));
  }

  const DRAW = { "data-details": draw, "data-table": drawTable, "data-summary": drawSummary };
  const KEYS = Object.keys(DRAW);

  function scan() {
    KEYS.forEach(function (key) {
      document.querySelectorAll("[" + key + "]").forEach(function (box) {
        const text = box.getAttribute(key);
        if (box["__" + key] === text) return;
        box["__" + key] = text;
        DRAW[key](box);
      });
    });
  }

  // a table or Summary opened: drawn now from the data it holds
  document.addEventListener("toggle", function (event) {
    const box = event.target;
    if (!box.open || !box.getAttribute) return;
    if (box.hasAttribute("data-table")) drawTable(box);
    else if (box.hasAttribute("data-summary")) drawSummary(box);
  }, true);

  // drawn in the frame a card appears or changes (a new view, a change of settings)
  let queued = false;
  function schedule() {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(function () {
      queued = false;
      scan();
    });
  }
  new MutationObserver(schedule).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: KEYS,
  });
})();
