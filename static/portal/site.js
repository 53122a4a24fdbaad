/* The public pages' only script: the font-size switch (remembered on this device) and print. */
(function () {
  var KEY = "portal-font-size";
  var root = document.documentElement;
  function apply(size) {
    root.classList.remove("font-large", "font-xlarge");
    if (size) root.classList.add(size);
    document.querySelectorAll(".font-switch").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.font === (size || "")));
    });
  }
  var saved = null;
  try { saved = localStorage.getItem(KEY); } catch (e) { /* storage may be disabled */ }
  if (saved) root.classList.add(saved);
  document.addEventListener("DOMContentLoaded", function () {
    apply(saved || "");
    document.querySelectorAll(".font-switch").forEach(function (button) {
      button.addEventListener("click", function () {
        apply(button.dataset.font);
        try { localStorage.setItem(KEY, button.dataset.font); } catch (e) { /* ignore */ }
      });
    });
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
