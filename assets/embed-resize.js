/* Resizes iframes of the reform-indicators embed pages (/embed/<chart>) to their content.
   Load it once on the page that embeds them:
     <script src="https://<dashboard>/embed/embed-resize.js" async></script>
   Each embed page posts {type: "indicators-embed:height", height: <px>} to its parent; only
   messages from this script's own origin are honoured, and only for the iframe that sent it. */
(function () {
  "use strict";
  if (window.__indicatorsEmbedResize) { return; }
  window.__indicatorsEmbedResize = true;
  var script = document.currentScript;
  var origin = null;
  try {
    origin = script && script.src ? new URL(script.src, window.location.href).origin : null;
  } catch (e) {
    origin = null;
  }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== "indicators-embed:height") { return; }
    if (origin && event.origin !== origin) { return; }
    var height = Math.ceil(Number(data.height));
    if (!(height > 0 && height < 20000)) { return; }
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = height + "px";
        frames[i].setAttribute("height", String(height));
        break;
      }
    }
  });
})();
