// The map view in the browser: a click on a country makes it the focus; Shift-click adds it to
// the custom peers. (Its Play control is assets/timeline.js.)
(function () {

  function mapGraph() {
    const gd = document.querySelector(".map-graph .js-plotly-plot");
    return gd && gd.layout && gd.layout.meta && gd.layout.meta.chart === "map" ? gd : null;
  }

  function setProps(id, props) {
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props(id, props);
    }
  }

  function currentPeers() {
    const raw = new URLSearchParams(window.location.search).get("peers");
    return raw ? raw.split(",").filter(Boolean) : [];
  }

  function attachClick(gd) {
    if (gd.__mapClick || typeof gd.on !== "function") return;
    gd.__mapClick = true;
    gd.on("plotly_click", function (ev) {
      const point = ev && ev.points && ev.points[0];
      const code = point && point.location;
      if (!code || !/^[A-Z]{3}$/.test(code)) return;
      if (ev.event && ev.event.shiftKey) {
        const peers = currentPeers();
        if (peers.indexOf(code) < 0) peers.push(code);
        setProps("peer-group", { value: "custom" });
        setProps("custom-peers", { value: peers });
      } else {
        setProps("focus-country", { value: code });
      }
    });
  }

  new MutationObserver(function () {
    const gd = mapGraph();
    if (gd) attachClick(gd);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
