/* Every staff page. Django's column and account search boxes (select2) name their box by
   the chosen value only, and nothing when none is chosen yet: each is named by its field's
   label as well (WCAG 4.1.2, axe aria-input-field-name). Registered with jQuery's ready
   after Django's autocomplete.js (a deferred script runs after the page's own), so the
   boxes exist by then; pages without Django's jQuery have no such box. */
if (window.django && window.django.jQuery) {
  window.django.jQuery(function () {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = document.querySelector('label[for="' + select.id + '"]');
      var box = select.nextElementSibling;
      if (!label || !box) return;
      label.id = label.id || select.id + "-label";
      var shown = box.querySelector(".select2-selection__rendered");
      var combobox = box.querySelector(".select2-selection");
      if (combobox) {
        combobox.setAttribute("aria-labelledby", shown ? label.id + " " + shown.id : label.id);
      }
      if (shown) shown.setAttribute("aria-labelledby", label.id);
    });
  });
}
