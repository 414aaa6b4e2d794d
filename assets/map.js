// The map view in the browser: a click on a country makes it the focus (Shift-click adds it to
// the custom peers), and "Play years" steps the year slider through the years with data
// (read from the figure's layout.meta.years), one step per STEP_MS. Space or Escape pauses;
// with prefers-reduced-motion the steps are slower and the map is never animated between them.
(function () {
  const STEP_MS = 1200;
  const REDUCED_STEP_MS = 2500;
  let timer = null;

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

  function button() {
    return document.getElementById("map-play");
  }

  function announce(text) {
    const help = document.getElementById("map-play-help");
    if (help) help.textContent = text;
  }

  function stop(message) {
    if (timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
    const b = button();
    if (b) {
      b.textContent = "Play years";
      b.setAttribute("aria-pressed", "false");
    }
    if (message) announce(message);
  }

  function play() {
    const gd = mapGraph();
    const years = (gd && gd.layout.meta.years) || [];
    if (years.length < 2) {
      announce("Only one year has data: nothing to play.");
      return;
    }
    const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    let index = 0;
    const b = button();
    b.textContent = "Pause";
    b.setAttribute("aria-pressed", "true");
    announce("Playing " + years[0] + "–" + years[years.length - 1] + ". Space or Escape pauses.");
    const step = function () {
      if (index >= years.length) {
        stop("Stopped at " + years[years.length - 1] + ".");
        return;
      }
      setProps("map-year", { value: years[index] });
      index += 1;
    };
    step();
    timer = window.setInterval(step, reduced ? REDUCED_STEP_MS : STEP_MS);
  }

  document.addEventListener("click", function (ev) {
    if (ev.target && ev.target.id === "map-play") {
      if (timer === null) play();
      else stop("Paused.");
    }
  });
  document.addEventListener("keydown", function (ev) {
    if (timer !== null && (ev.key === "Escape" || ev.key === " ")) {
      if (ev.key === " " && ev.target && ev.target.id === "map-play") return; // the button's own
      ev.preventDefault();
      stop("Paused.");
    }
  });
  new MutationObserver(function () {
    const gd = mapGraph();
    if (gd) attachClick(gd);
    else if (timer !== null) stop(); // left the map view
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
