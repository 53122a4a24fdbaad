/* The public pages' only script (the CSP forbids inline ones): the font-size switch and the
   关怀版 (elderly-friendly mode), both remembered on this device; print; a new captcha sum on
   request; and focus on a form's error summary after a failed submission. */
(function () {
  var FONT_KEY = "portal-font-size";
  var CARE_KEY = "portal-care-mode";
  var root = document.documentElement;

  function stored(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; /* storage disabled */ }
  }
  function store(key, value) {
    try {
      if (value) localStorage.setItem(key, value); else localStorage.removeItem(key);
    } catch (e) { /* storage disabled: the choice lasts for this page only */ }
  }

  function applyFont(size) {
    root.classList.remove("font-large", "font-xlarge");
    if (size) root.classList.add(size);
    document.querySelectorAll(".font-switch").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.font === (size || "")));
    });
  }
  function applyCare(on) {
    root.classList.toggle("care", on);
    document.querySelectorAll(".care-switch").forEach(function (button) {
      button.setAttribute("aria-pressed", String(on));
    });
  }

  // Before the first paint where possible, so the page does not jump.
  var savedFont = stored(FONT_KEY);
  if (savedFont) root.classList.add(savedFont);
  if (stored(CARE_KEY)) root.classList.add("care");

  function refreshCaptcha(box, triesLeft) {
    var request = new XMLHttpRequest();
    request.open("GET", box.dataset.refreshUrl);
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    request.responseType = "json";
    request.onload = function () {
      if (request.status !== 200 || !request.response) return;
      var key = box.querySelector("input[type=hidden]");
      // The pool may hand back the sum already shown: ask again rather than show it twice.
      if (request.response.key === key.value && triesLeft > 0) return refreshCaptcha(box, triesLeft - 1);
      var answer = box.querySelector(".captcha-answer");
      box.querySelector("img.captcha").src = request.response.image_url;
      key.value = request.response.key;
      var audio = box.querySelector("audio");
      if (audio && request.response.audio_url) audio.src = request.response.audio_url;
      answer.value = "";
      answer.focus();
    };
    request.send();
  }

  document.addEventListener("DOMContentLoaded", function () {
    applyFont(savedFont || "");
    applyCare(root.classList.contains("care"));
    document.querySelectorAll(".font-switch").forEach(function (button) {
      button.addEventListener("click", function () {
        applyFont(button.dataset.font);
        store(FONT_KEY, button.dataset.font);
      });
    });
    document.querySelectorAll(".care-switch").forEach(function (button) {
      button.addEventListener("click", function () {
        var on = !root.classList.contains("care");
        applyCare(on);
        store(CARE_KEY, on ? "on" : "");
      });
    });
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    document.querySelectorAll(".captcha-box").forEach(function (box) {
      box.querySelector(".captcha-refresh").addEventListener("click", function () {
        refreshCaptcha(box, 3);
      });
    });
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
})();
