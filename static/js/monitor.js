// Live monitoring of a round: draws the three charts with the vendored Chart.js and, every few
// seconds, fetches the same numbers again and redraws the charts, their tables and the summary.
// Without JavaScript the page still shows every number in its tables.
(function () {
  "use strict";
  var node = document.getElementById("monitor-config");
  if (!node || !window.Chart || !window.fetch) return;
  var config = JSON.parse(node.textContent);
  var labels = config.labels;
  var number = new Intl.NumberFormat(config.locale);
  var timeFormat = new Intl.DateTimeFormat(config.locale, {
    timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit"
  });
  var blue = "#1d4ed8", green = "#15803d", amber = "#b45309";
  Chart.defaults.font.size = 14;
  Chart.defaults.animation = false;

  var timeline = new Chart(document.getElementById("chart-timeline"), {
    data: { labels: [], datasets: [
      { type: "bar", label: labels.attempts, data: [], backgroundColor: blue, yAxisID: "y" },
      { type: "bar", label: labels.newParticipants, data: [], backgroundColor: amber, yAxisID: "y" },
      { type: "line", label: labels.participants, data: [], borderColor: green, backgroundColor: green, yAxisID: "total" }
    ] },
    options: { maintainAspectRatio: false, scales: {
      y: { beginAtZero: true, position: "left", ticks: { precision: 0 } },
      total: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false }, ticks: { precision: 0 } }
    } }
  });
  var units = new Chart(document.getElementById("chart-units"), {
    type: "bar",
    data: { labels: [], datasets: [{ label: labels.rate, data: [], backgroundColor: green }] },
    options: { indexAxis: "y", maintainAspectRatio: false,
      scales: { x: { beginAtZero: true, suggestedMax: 100 }, y: { ticks: { autoSkip: false } } } }
  });
  var scores = new Chart(document.getElementById("chart-scores"), {
    type: "bar",
    data: { labels: [], datasets: [{ label: labels.scores, data: [], backgroundColor: blue, categoryPercentage: 1, barPercentage: 0.95 }] },
    options: { maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });

  function cell(text, numeric) {
    var td = document.createElement("td");
    if (numeric) td.className = "numeric";
    td.textContent = text;
    return td;
  }
  function fillTable(id, rows) {
    var body = document.querySelector("#" + id + " tbody");
    if (!rows.length) return;  // keep the server's "not yet" line
    body.textContent = "";
    rows.forEach(function (cells) {
      var tr = document.createElement("tr");
      cells.forEach(function (value, index) {
        tr.appendChild(cell(typeof value === "number" && index > 0 ? number.format(value) : value, index > 0 || id === "table-scores"));
      });
      body.appendChild(tr);
    });
  }

  function draw(data) {
    var rows = data.timeline.rows;
    timeline.data.labels = rows.map(function (row) { return row.label; });
    timeline.data.datasets[0].data = rows.map(function (row) { return row.attempts; });
    timeline.data.datasets[1].data = rows.map(function (row) { return row.new_participants; });
    timeline.data.datasets[2].data = rows.map(function (row) { return row.participants; });
    timeline.update();
    units.canvas.parentNode.style.height = Math.max(280, 60 + 26 * data.units.length) + "px";  // a bar per unit, all named
    units.data.labels = data.units.map(function (row) { return row.name; });
    units.data.datasets[0].data = data.units.map(function (row) { return row.rate; });
    units.update();
    scores.data.labels = data.scores.map(function (row) { return String(row.score); });
    scores.data.datasets[0].data = data.scores.map(function (row) { return row.attempts; });
    scores.update();
    fillTable("table-timeline", rows.map(function (row) {
      return [row.label, row.attempts, row.new_participants, row.participants];
    }));
    fillTable("table-units", data.units.map(function (row) {
      return [row.name, row.participants, row.headcount, row.rate];
    }));
    fillTable("table-scores", data.scores.map(function (row) { return [String(row.score), row.attempts]; }));
    var summary = data.summary;
    Array.prototype.forEach.call(document.querySelectorAll("#monitor-summary dd"), function (dd) {
      var value = summary[dd.getAttribute("data-key")];
      var text = value === null ? "–" : number.format(value);
      dd.textContent = dd.getAttribute("data-key") === "average_score" ? text + " / " + summary.question_count : text;
    });
    document.getElementById("monitor-updated").textContent =
      labels.updated.replace("{time}", timeFormat.format(new Date(data.generated_at)));
  }

  function refresh() {
    if (document.hidden) return;
    fetch(config.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(draw)
      .catch(function () { /* the next refresh tries again; the page keeps the last numbers */ });
  }

  draw(config.data);
  setInterval(refresh, config.every);
})();
