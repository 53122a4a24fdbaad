// The inspector's "use finding" buttons copy an automatic finding into the problem form.
document.querySelectorAll("button.prefill").forEach(function (b) {
  b.addEventListener("click", function () {
    document.getElementById("category").value = b.dataset.category;
    document.getElementById("description").value = b.dataset.description;
    document.getElementById("evidence_url").value = b.dataset.url;
    document.getElementById("finding").value = b.dataset.key;
  });
});
