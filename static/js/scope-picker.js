// The contest form's "open to the unit": find the unit by its name typed any way (accents or not), as at
// registration, and fill in its code. Without JavaScript the code is typed (the list offers the units).
(function () {
  "use strict";
  var code = document.getElementById("scope");
  var search = document.getElementById("scope-search");
  var results = document.getElementById("scope-results");
  if (!code || !search || !results || !window.fetch) return;
  search.hidden = false;
  search.closest(".scope-search").hidden = false;
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
})();
