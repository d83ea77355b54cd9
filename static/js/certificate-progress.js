// The round page's certificate line follows the worker: it asks how far the drawing has come every few seconds
// until every certificate is drawn (or some failed), then shows the zip. Without JavaScript the line shows the
// figure of the page's load.
(function () {
  "use strict";
  var box = document.getElementById("certificate-progress");
  if (!box || box.getAttribute("data-done") === "true") return;
  // the page shows failed drawings and the button to retry: it is left alone until the organizer acts
  var failedAtLoad = Number(box.getAttribute("data-failed") || "0");
  if (failedAtLoad > 0) return;
  var text = box.querySelector(".certificate-progress-text");
  var bar = box.querySelector("progress");
  var zip = box.querySelector(".certificate-zip");
  var format = new Intl.NumberFormat(document.documentElement.lang || "vi");
  var template = box.getAttribute("data-template");

  function show(state) {
    text.textContent = template
      .replace("{drawn}", format.format(state.drawn))
      .replace("{total}", format.format(state.total));
    bar.max = state.total || 1;
    bar.value = state.drawn;
    if (state.done) {
      zip.hidden = false;
      var note = box.querySelector(".muted");
      if (note) note.hidden = true;
    }
    return state.done || state.failed > 0;
  }

  function ask() {
    fetch(box.getAttribute("data-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (state && show(state)) {
          if (state.failed > failedAtLoad) window.location.reload(); // once: the page then shows them and "Thử lại"
          return;
        }
        window.setTimeout(ask, 3000);
      })
      .catch(function () { window.setTimeout(ask, 10000); });
  }
  window.setTimeout(ask, 2000);
})();
