// What goes under each chart and the map (source line, reform events, Share menu, Sources,
// Embed, and the plot's accessible name and description), drawn from the JSON in its box's
// data-details attribute (layout.details_json) whenever that attribute changes. A change of
// settings updates one attribute per card instead of re-rendering two dozen Dash components
// in each. Every text goes in as a text node or an attribute, never as HTML. A disclosure
// that was open (Share, Sources, Embed) stays open when its card is drawn again.
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
    const text = box.getAttribute("data-details");
    if (box.__drawn === text) return;
    box.__drawn = text;
    const d = JSON.parse(text);
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

  function scan() {
    document.querySelectorAll(".chart-details[data-details]").forEach(draw);
  }

  // drawn in the frame the box appears or changes (a new view, a change of settings)
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
    childList: true, subtree: true, attributes: true, attributeFilter: ["data-details"],
  });
})();
