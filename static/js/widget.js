// The embedded counter redraws its figures every minute from the same (cached) page, without reloading.
(function () {
  "use strict";
  function refresh() {
    fetch(window.location.href, { credentials: "omit" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) {
        if (!text) return;
        var fresh = new DOMParser().parseFromString(text, "text/html").body;
        document.body.replaceChildren.apply(document.body, Array.prototype.slice.call(fresh.childNodes));
      })
      .catch(function () { /* keep the figures shown */ })
      .then(function () { setTimeout(refresh, 60000); });
  }
  setTimeout(refresh, 60000);
})();
