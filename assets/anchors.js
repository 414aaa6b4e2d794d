// A link to a chart card (#card-<id>: the scorecard's rows, a shared chart link) scrolls to
// that card once it is drawn. Once per arrival: changing a setting afterwards leaves the
// reader where they are; leaving the view (the card gone) lets the next arrival scroll again.
(function () {
  let done = null;
  new MutationObserver(function () {
    const hash = window.location.hash;
    const target = hash.startsWith("#card-") ? document.getElementById(hash.slice(1)) : null;
    if (!target) {
      done = null;
      return;
    }
    if (done === target || !target.querySelector(".main-svg")) return;
    done = target;
    target.scrollIntoView({ block: "start" });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
