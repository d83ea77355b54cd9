// The public leaderboard while its round is open: every few seconds it reads the same cached JSON the
// API serves (no page reload, no extra work for the server however many people watch) and redraws the
// rows of this page and the time of the update. Without JavaScript the page is the same, only still.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("board-config").textContent);
  var rows = document.getElementById("people-rows");
  var updated = document.querySelector("#board-updated time");
  var lang = document.documentElement.lang === "en" ? "en" : "vi";
  var clock = new Intl.DateTimeFormat(lang, {
    hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: "Asia/Ho_Chi_Minh"
  });

  function cell(text, className) {
    var td = document.createElement("td");
    if (className) td.className = className;
    td.textContent = text;
    return td;
  }

  function duration(ms) {
    var seconds = Math.floor(ms / 1000);
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }

  function draw(data) {
    var body = document.createDocumentFragment();
    data.entries.forEach(function (entry) {
      var tr = document.createElement("tr");
      tr.appendChild(cell(String(entry.rank), "numeric"));
      var name = cell(entry.name, "");
      // the signed-in person's own row stays marked (the shared JSON names nobody: matched by name and unit)
      if (config.me && entry.name === config.me.name && entry.unit === config.me.unit) {
        tr.className = "me";
        tr.setAttribute("aria-current", "true");
        var tag = document.createElement("strong");
        tag.className = "me-tag";
        tag.textContent = config.you;
        name.appendChild(document.createTextNode(" "));
        name.appendChild(tag);
      }
      var unit = document.createElement("small");
      unit.className = "unit-inline";
      unit.textContent = entry.unit;
      name.appendChild(unit);
      tr.appendChild(name);
      tr.appendChild(cell(entry.unit, "col-unit"));
      tr.appendChild(cell(String(entry.score), "numeric"));
      tr.appendChild(cell(duration(entry.duration_ms), "numeric"));
      body.appendChild(tr);
    });
    if (!data.entries.length) {
      var empty = document.createElement("tr");
      var td = cell(config.empty, "empty");
      td.colSpan = 5;
      empty.appendChild(td);
      body.appendChild(empty);
    }
    rows.textContent = "";
    rows.appendChild(body);
    var now = new Date();
    updated.dateTime = now.toISOString();
    updated.textContent = clock.format(now);
  }

  function poll() {
    if (document.hidden) { setTimeout(poll, config.every); return; }
    fetch(config.url, { credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && !data.final) draw(data); })
      .catch(function () { /* keep the rows shown */ })
      .then(function () { setTimeout(poll, config.every); });
  }
  setTimeout(poll, config.every);
})();
