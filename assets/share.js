// The Share menus (layout.share_menu): "Copy link" copies the address of the view (or of a
// chart card: data-path, the view's link with #card-<id>); "Copy embed code" copies the
// chart's embed snippet (data-text). Links are built on the public address the server was
// given (data-public-url on .app, from INDICATORS_PUBLIC_URL) or, when it has none, on this
// page's own origin. The menu's status line (role="status") says what was copied, or shows
// the text to copy by hand when the browser refuses.
(function () {
  function base() {
    const app = document.querySelector("[data-public-url]");
    return (app && app.dataset.publicUrl) || window.location.origin;
  }

  function absolute(path) {
    return new URL(path.replace(/^\//, ""), base() + "/").href;
  }

  function textOf(button) {
    if (button.dataset.share === "embed") {
      // a relative snippet (no public address configured) is completed from this page
      return button.dataset.text.replace(/(src=")\//g, "$1" + base() + "/");
    }
    return absolute(button.dataset.path || window.location.pathname + window.location.search);
  }

  function copyByCommand(text) {
    const box = document.createElement("textarea");
    box.value = text;
    box.setAttribute("readonly", "");
    box.className = "visually-hidden";
    document.body.appendChild(box);
    box.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    box.remove();
    return ok;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return copyByCommand(text); }
      );
    }
    return Promise.resolve(copyByCommand(text));
  }

  function report(button, message) {
    const body = button.closest(".share-body");
    const status = body && body.querySelector(".share-status");
    if (!status) return;
    // emptied first, so that the same message twice is announced twice
    status.textContent = "";
    window.requestAnimationFrame(function () { status.textContent = message; });
  }

  // Escape closes the menu that holds the focus and returns to its summary
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) return;
    const menu = event.target.closest("details.share[open]");
    if (!menu) return;
    menu.open = false;
    menu.querySelector("summary").focus();
  });

  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest(".share-button");
    if (!button) return;
    const text = textOf(button);
    const what = button.dataset.share === "embed" ? "Embed code" : "Link";
    copy(text).then(function (ok) {
      report(button, ok ? what + " copied: " + text : "Copy this " + what.toLowerCase() + ": " + text);
    });
  });
})();
