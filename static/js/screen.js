// The big screen: polls one cached JSON document every few seconds (cheap for the server however
// many screens watch) and redraws the totals and the two lists.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("screen-config").textContent);
  var lang = document.documentElement.lang === "en" ? "en" : "vi";
  var format = new Intl.NumberFormat(lang);
  var clock = new Intl.DateTimeFormat(lang, {
    hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: "Asia/Ho_Chi_Minh"
  });

  function item(className, who, detail, score, rate) {
    var li = document.createElement("li");
    var name = document.createElement("span");
    name.className = "who";
    name.textContent = who;
    if (detail) {
      var small = document.createElement("small");
      small.textContent = detail;
      name.appendChild(small);
    }
    li.appendChild(name);
    if (rate !== null) {
      var bar = document.createElement("span");
      bar.className = "bar";
      var fill = document.createElement("span");
      fill.style.width = Math.min(100, rate) + "%";
      bar.appendChild(fill);
      li.appendChild(bar);
    }
    var value = document.createElement("span");
    value.className = "score";
    value.textContent = score;
    li.appendChild(value);
    return li;
  }

  function draw(data) {
    document.getElementById("stat-participants").textContent = format.format(data.stats.participants);
    document.getElementById("stat-attempts").textContent = format.format(data.stats.attempts);
    document.getElementById("stat-full").textContent = format.format(data.stats.full_score);
    document.getElementById("round-name").textContent = data.round ? data.round.name : "";
    var top = document.getElementById("top");
    top.textContent = "";
    data.top.forEach(function (entry) { top.appendChild(item("", entry.name, entry.unit, entry.score, null)); });
    var units = document.getElementById("units");
    units.textContent = "";
    data.units.forEach(function (row) {
      var rate = Math.round(row.rate * 1000) / 10;
      units.appendChild(item("", row.name, "", format.format(rate) + "%", rate));
    });
    var updated = document.querySelector("#updated time");
    updated.dateTime = data.generated_at;
    updated.textContent = clock.format(new Date(data.generated_at));
  }

  function poll() {
    fetch(config.url, { credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) draw(data); })
      .catch(function () { /* keep showing the last numbers */ })
      .then(function () { setTimeout(poll, config.every); });
  }
  setTimeout(poll, config.every);
})();
