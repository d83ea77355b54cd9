// The big screen: polls one cached JSON document every few seconds (cheap for the server however
// many screens watch) and redraws the totals and the two lists. Ranks are numbered, the top three
// marked; unit bars are scaled to the highest rate shown, so rates of a few percent stay visible;
// once the round is ranked for good it says "Final results" and shows the prizes.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("screen-config").textContent);
  var lang = document.documentElement.lang === "en" ? "en" : "vi";
  var format = new Intl.NumberFormat(lang);
  // rates come rounded by the server (rate_permille: 44 is 4,4 %), so the screen shows what every page shows
  var tenths = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var ended = new Intl.DateTimeFormat(lang, {
    hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", year: "numeric", hourCycle: "h23",
    timeZone: "Asia/Ho_Chi_Minh"
  });
  var clock = new Intl.DateTimeFormat(lang, {
    hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: "Asia/Ho_Chi_Minh"
  });

  function span(className, text) {
    var element = document.createElement("span");
    element.className = className;
    element.textContent = text;
    return element;
  }

  function row(rank, who, detail, score, extra) {
    var li = document.createElement("li");
    if (rank <= 3) li.className = "podium podium-" + rank;
    li.appendChild(span("rank", String(rank)));
    var name = span("who", who);
    if (detail) {
      var small = document.createElement("small");
      small.textContent = detail;
      name.appendChild(small);
    }
    li.appendChild(name);
    if (extra) li.appendChild(extra);
    li.appendChild(span("score", score));
    return li;
  }

  function bar(share) {
    var outer = span("bar", "");
    var fill = document.createElement("span");
    fill.style.width = Math.min(100, Math.round(share * 1000) / 10) + "%";
    outer.appendChild(fill);
    return outer;
  }

  function draw(data) {
    document.getElementById("stat-participants").textContent = format.format(data.stats.participants);
    document.getElementById("stat-attempts").textContent = format.format(data.stats.attempts);
    document.getElementById("stat-full").textContent = format.format(data.stats.full_score);
    document.getElementById("round-name").textContent = data.round ? data.round.name : "";
    var final = Boolean(data.round && data.round.final);
    document.getElementById("final-title").hidden = !final;
    var closed = document.getElementById("round-closed");
    var closedAt = data.round && data.round.closed_at;
    closed.hidden = !closedAt;
    closed.textContent = closedAt ? closed.dataset.template.replace("{time}", ended.format(new Date(closedAt))) : "";
    function leaders(list, entries) {
      list.textContent = "";
      entries.forEach(function (entry) {
        var prize = final && entry.prize ? span("prize", config.prizes[entry.prize] || "") : null;
        list.appendChild(row(entry.rank, entry.name, entry.unit, String(entry.score), prize));
      });
    }
    var top = document.getElementById("top");
    if (top) leaders(top, data.top);
    (data.tables || []).forEach(function (table) {
      var list = document.getElementById("top-" + table.key);
      if (list) leaders(list, table.top);
    });
    var units = document.getElementById("units");
    units.textContent = "";
    var highest = data.units.reduce(function (most, unit) { return Math.max(most, unit.rate); }, 0);
    data.units.forEach(function (unit) {
      var shown = tenths.format(unit.rate_permille / 10) + "%";
      units.appendChild(row(unit.rank, unit.name, "", shown, bar(highest ? unit.rate / highest : 0)));
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
