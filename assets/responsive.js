// On narrow screens (phones) the legend moves below the plot and the in-figure footer is
// hidden; the same source line and notes are shown as text under each chart instead.
(function () {
  const NARROW = 640;
  function adapt(gd) {
    if (!window.Plotly || !gd._fullLayout || !gd.layout) return;
    const shown = gd.layout.title && gd.layout.title.text;
    if (shown !== gd.__shownTitle) {
      // a new figure from the server (Plotly.react after a setting changed): its title and
      // margins are the ones to adapt from now on, never those of the first figure shown
      gd.__fullTitle = shown;
      gd.__fullMargin = Object.assign({}, gd.layout.margin);
      gd.__compact = undefined;
    }
    const narrow = gd.clientWidth < NARROW;
    if (gd.__compact === narrow) return;
    gd.__compact = narrow;
    const annotations = (gd.layout.annotations || []).map(function (a) {
      return a.name === "source-line" ? Object.assign({}, a, { visible: !narrow }) : a;
    });
    const base = gd.__fullMargin;
    const title = gd.__fullTitle;
    const narrowTitle = rewrap(title, Math.max(28, Math.floor((gd.clientWidth - 24) / 7.2)));
    gd.__shownTitle = narrow ? narrowTitle.text : title;
    window.Plotly.relayout(gd, narrow ? {
      "legend.orientation": "h", "legend.x": 0, "legend.y": -0.12, "legend.yanchor": "top",
      "margin.r": gd.layout.yaxis2 ? 52 : 12, "margin.l": 54, "margin.b": 40, annotations: annotations,
      "title.text": narrowTitle.text, "margin.t": base.t + 20 * narrowTitle.extra,
    } : {
      "legend.orientation": "v", "legend.x": gd.layout.yaxis2 ? 1.12 : 1.02, "legend.y": 1,
      "legend.yanchor": "top", "margin.r": base.r, "margin.l": base.l, "margin.b": base.b,
      "title.text": title, "margin.t": base.t,
      annotations: annotations,
    });
  }
  // Re-wrap the subtitle (the part after the first <br>) to fit a narrow chart.
  function rewrap(text, width) {
    const match = text.match(/^(.*?<br>)(<span[^>]*>)(.*)(<\/span>)$/);
    if (!match) return { text: text, extra: 0 };
    const before = match[3].split("<br>").length;
    const words = match[3].replace(/<br>/g, " ").split(/\s+/);
    const lines = [];
    let line = "";
    words.forEach(function (word) {
      if (line && line.length + word.length + 1 > width) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) lines.push(line);
    return { text: match[1] + match[2] + lines.join("<br>") + match[4],
             extra: Math.max(0, lines.length - before) };
  }

  function scan() {
    document.querySelectorAll(".chart-graph .js-plotly-plot").forEach(adapt);
  }
  new MutationObserver(function () { window.requestAnimationFrame(scan); })
    .observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("resize", function () {
    document.querySelectorAll(".chart-graph .js-plotly-plot").forEach(function (gd) {
      gd.__compact = undefined;
    });
    scan();
  });
})();
