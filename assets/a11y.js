// Accessible names and roles that Dash 4's controls cannot be given through their props.
// - RadioItems, Checklist and the dropdowns' option lists render role="listbox" with
//   role="option" labels that wrap the real radio or checkbox: the list gets no name, and an
//   option holding a focusable input is a nested control. They become a named radiogroup (or
//   group) of plain labelled inputs; an open dropdown's panel (a dialog) is named too.
// - The range slider's year boxes get a name ("Years: from", "Years: to").
// - The dropdown's hidden Tab target (an aria-hidden input that takes focus and hands it to
//   the dropdown's button) is named and no longer aria-hidden; the search box is named.
// Each control's name is its .control-label (id "<control id>-label", see layout._control).
// React leaves attributes it did not change alone; a MutationObserver reapplies the fixes
// when Dash renders new nodes or React writes aria-selected again.
(function () {
  function labelOf(el) {
    const control = el.closest(".control");
    const label = control && control.querySelector(".control-label");
    return label && label.id ? label : null;
  }

  function set(el, name, value) {
    if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  }

  function unset(el, name) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  }

  function fixGroups(root) {
    root.querySelectorAll(".control .dash-options-list").forEach(function (list) {
      const radio = list.querySelector("input[type=radio]") !== null;
      set(list, "role", radio ? "radiogroup" : "group");
      const label = labelOf(list);
      if (label) set(list, "aria-labelledby", label.id);
      list.querySelectorAll(".dash-options-list-option").forEach(function (option) {
        unset(option, "role");
        unset(option, "aria-selected");
      });
    });
  }

  function fixDropdowns(root) {
    root.querySelectorAll(".control .dash-dropdown-content").forEach(function (panel) {
      const label = labelOf(panel);
      if (label) set(panel, "aria-labelledby", label.id);
    });
    root.querySelectorAll(".control button.dash-dropdown[aria-haspopup]").forEach(function (b) {
      set(b, "aria-haspopup", "dialog");
    });
  }

  function fixInputs(root) {
    root.querySelectorAll(".dash-range-slider-input").forEach(function (input) {
      const label = labelOf(input);
      const name = label ? label.textContent : "Range";
      const end = input.classList.contains("dash-range-slider-max-input") ? "to" : "from";
      set(input, "aria-label", name + ": " + end);
    });
    root.querySelectorAll(".dash-dropdown-focus-target").forEach(function (input) {
      const label = labelOf(input);
      unset(input, "aria-hidden");
      set(input, "aria-label", label ? label.textContent : "Choose");
    });
    root.querySelectorAll("input.dash-dropdown-search").forEach(function (input) {
      const label = labelOf(input);
      set(input, "aria-label", "Search" + (label ? ": " + label.textContent : ""));
    });
  }

  function fix() {
    fixGroups(document);
    fixDropdowns(document);
    fixInputs(document);
  }

  let queued = false;
  function schedule() {
    if (queued) return;
    queued = true;
    Promise.resolve().then(function () {
      queued = false;
      fix();
    });
  }

  function start() {
    fix();
    new MutationObserver(schedule).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["aria-selected", "aria-hidden", "aria-haspopup", "role"],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
