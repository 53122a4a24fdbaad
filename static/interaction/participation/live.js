// The interview's live page: polls the transcript for entries newer than the last one shown
// (no external service, no open connection) and stops once the interview is archived.
(function () {
  var list = document.getElementById("transcript");
  if (!list || list.dataset.status === "archived") { return; }
  var after = parseInt(list.dataset.after, 10) || 0;
  var pollMs = parseInt(list.dataset.pollMs, 10) || 3000;
  function add(entry) {
    var item = document.createElement("li");
    item.dataset.entry = entry.id;
    if (entry.is_host) { item.className = "host"; }
    if (entry.question) {
      var asked = document.createElement("p");
      asked.className = "asked";
      asked.textContent = entry.question.asks + " " + entry.question.content;
      item.appendChild(asked);
    }
    var said = document.createElement("p");
    var speaker = document.createElement("span");
    speaker.className = "speaker";
    speaker.textContent = entry.speaker + "：";
    said.appendChild(speaker);
    said.appendChild(document.createTextNode(entry.text));
    item.appendChild(said);
    var time = document.createElement("p");
    time.className = "muted";
    time.textContent = entry.time;
    item.appendChild(time);
    list.appendChild(item);
    after = Math.max(after, entry.id);
    document.getElementById("transcript-empty").hidden = true;
  }
  function poll() {
    fetch(list.dataset.url + "?after=" + after, {headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        data.entries.forEach(add);
        if (data.status !== list.dataset.status) {
          list.dataset.status = data.status;
          var badge = document.getElementById("interview-status");
          badge.textContent = data.status_label;
          badge.className = "state state-" + data.status;
        }
        if (data.status !== "archived") { window.setTimeout(poll, pollMs); }
      })
      .catch(function () { window.setTimeout(poll, pollMs * 3); });
  }
  window.setTimeout(poll, pollMs);
})();
