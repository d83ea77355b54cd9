// Find a unit by its name typed any way (accents or not), as at registration, and fill in its code: the contest
// form's "open to the unit" and the account page's unit. Markup: a hidden .unit-finder block with
// data-target="ID of the code input", holding an input[type=search] and a list. Without JavaScript the code is
// typed.
(function () {
  "use strict";
  if (!window.fetch) return;
  document.querySelectorAll(".unit-finder").forEach(function (finder) {
    var code = document.getElementById(finder.dataset.target);
    var search = finder.querySelector("input[type=search]");
    var results = finder.querySelector("ul");
    if (!code || !search || !results) return;
    finder.hidden = false;
    var timer = null;
    var last = "";

    function choose(entry) {
      code.value = entry.code;
      search.value = entry.name;
      results.textContent = "";
      code.dispatchEvent(new Event("change"));
    }

    function find() {
      var query = search.value.trim();
      if (query === last || query.length < 2) return;
      last = query;
      fetch("/api/units?limit=15&q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { entries: [] }; })
        .then(function (body) {
          if (query !== last) return;
          results.textContent = "";
          body.entries.forEach(function (entry) {
            var item = document.createElement("li");
            var button = document.createElement("button");
            button.type = "button";
            button.className = "link-button";
            button.textContent = entry.name + (entry.parent ? " – " + entry.parent : "") + " (" + entry.code + ")";
            button.addEventListener("click", function () { choose(entry); });
            item.appendChild(button);
            results.appendChild(item);
          });
        })
        .catch(function () { /* the code can still be typed */ });
    }

    search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(find, 250); });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); clearTimeout(timer); find(); }
    });
  });
})();
