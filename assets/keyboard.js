// Keyboard use of the searchable dropdowns: Dash 4 opens them with focus on the selected
// option, so typing did nothing. A printable key now moves focus to the search box, which
// receives the character, so "Tab, Enter, type 'Geor', Enter" picks Georgia.
document.addEventListener(
  "keydown",
  function (event) {
    if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
    const panel = event.target.closest && event.target.closest(".dash-dropdown-content");
    if (!panel) return;
    const search = panel.querySelector(".dash-dropdown-search-container input");
    if (search && event.target !== search) search.focus();
  },
  true
);

// The year boxes beside the range slider apply their value on blur only; Enter applies it too.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Enter" || event.target.tagName !== "INPUT") return;
  if (event.target.closest && event.target.closest("#year-range")) {
    event.target.blur();
    event.target.focus();
  }
});
