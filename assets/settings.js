// The settings panel (#settings, a <details>): open on wide screens, folded on phones so that
// the first screen shows a chart. The width decides when the page opens and whenever the
// window crosses the breakpoint; in between, the user's own opening or closing stands.
// Its summary says what is selected ("Kazakhstan vs Central Asia, 1996–2025"), written from
// the controls whenever they change.
(function () {
  const WIDE = window.matchMedia("(min-width: 641px)");

  function panel() {
    return document.getElementById("settings");
  }

  function shown(id) {
    const value = document.querySelector("#" + id + " .dash-dropdown-value");
    return value ? value.textContent.trim() : "";
  }

  function summary() {
    const out = document.getElementById("settings-summary");
    if (!out) return;
    const focus = shown("focus-country").replace(/\s*\([A-Z0-9]{3}\)$/, "");
    let group = shown("peer-group");
    if (group === out.dataset.custom) group = "custom peers";
    const from = document.querySelector("#year-range .dash-range-slider-min-input");
    const to = document.querySelector("#year-range .dash-range-slider-max-input");
    if (!focus || !group || !from || !to) return;
    const text = focus + " vs " + group + ", " + from.value + "–" + to.value;
    if (out.textContent !== text) out.textContent = text;
  }

  let placed = false;
  function place() {
    const details = panel();
    if (!details || placed) return;
    placed = true;
    details.open = WIDE.matches;
  }

  WIDE.addEventListener("change", function (event) {
    const details = panel();
    if (details) details.open = event.matches;
  });

  let queued = false;
  new MutationObserver(function () {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(function () {
      queued = false;
      place();
      summary();
    });
  }).observe(document.documentElement, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ["value"],
  });
  // a typed year changes the box's value property, not its attribute
  document.addEventListener("input", summary);
})();
