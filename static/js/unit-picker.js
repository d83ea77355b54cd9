// Live unit search on the registration page; without JavaScript the "Find" button does the same.
(function () {
  "use strict";
  var input = document.getElementById("unit_q");
  var results = document.getElementById("unit-results");
  if (!input || !results || !window.fetch) return;
  var timer = null;
  var lastQuery = "";

  function option(entry) {
    var label = document.createElement("label");
    label.className = "unit-choice";
    var radio = document.createElement("input");
    radio.type = "radio";
    radio.name = "unit_code";
    radio.value = entry.code;
    label.appendChild(radio);
    label.appendChild(document.createTextNode(" " + entry.name + " "));
    if (entry.parent) {
      var parent = document.createElement("span");
      parent.className = "muted";
      parent.textContent = "– " + entry.parent;
      label.appendChild(parent);
    }
    return label;
  }

  function search() {
    var query = input.value.trim();
    if (query === lastQuery || query.length < 2) return;
    lastQuery = query;
    fetch("/api/units?limit=20&q=" + encodeURIComponent(query), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { entries: [] }; })
      .then(function (body) {
        if (query !== lastQuery) return;
        var checked = results.querySelector("input:checked");
        results.textContent = "";
        if (checked) results.appendChild(checked.parentNode);
        body.entries.forEach(function (entry) {
          if (!checked || entry.code !== checked.value) results.appendChild(option(entry));
        });
        var template = document.getElementById("unit-more-template");
        if (body.more && template) {  // the list stops: say how many more, and how to reach them
          var more = document.createElement("p");
          more.className = "hint unit-more";
          more.textContent = body.more === 1 ? template.dataset.one : template.dataset.many.replace("{num}", body.more);
          results.appendChild(more);
        }
      })
      .catch(function () { /* offline: the Find button still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); clearTimeout(timer); search(); }
  });
})();
