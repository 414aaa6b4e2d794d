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
