// Print buttons (data-print) on printable pages: no inline handler, so the CSP allows it.
document.querySelectorAll("button[data-print]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});
