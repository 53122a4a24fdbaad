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

/* TinyMCE's editing area is a document of its own (an iframe): it gets the page's language,
   so that a screen reader reads the text being written in Chinese (WCAG 3.1.1), and a title.
   TinyMCE names it twice: by the iframe's title, and by an aria-label on its <body>, which a
   document's body may not carry (axe aria-prohibited-attr); the iframe's title stays. This
   deferred script runs before the editors are created on DOMContentLoaded. */
if (window.tinymce) {
  window.tinymce.on("AddEditor", function (event) {
    event.editor.on("init", function () {
      var frame = event.editor.iframeElement;
      var doc = event.editor.getDoc();
      doc.documentElement.lang = document.documentElement.lang;
      doc.title = (frame && frame.title) || document.title;
      event.editor.getBody().removeAttribute("aria-label");
    });
  });
}
