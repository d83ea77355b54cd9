// Countdowns to a server-given time. The offset between the server's clock and the device's is
// measured once at load, so a wrong device clock does not change what is shown.
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function format(ms, dayLabel) {
    if (ms < 0) ms = 0;
    var s = Math.floor(ms / 1000);
    var days = Math.floor(s / 86400);
    s -= days * 86400;
    var text = pad(Math.floor(s / 3600)) + ":" + pad(Math.floor((s % 3600) / 60)) + ":" + pad(s % 60);
    return days > 0 ? days + " " + dayLabel + " " + text : text;
  }
  var nodes = document.querySelectorAll(".countdown[data-deadline]");
  if (!nodes.length) return;
  var items = Array.prototype.map.call(nodes, function (node) {
    var serverNow = Date.parse(node.getAttribute("data-server-now"));
    return {
      node: node.querySelector(".countdown-value"),
      deadline: Date.parse(node.getAttribute("data-deadline")),
      offset: isNaN(serverNow) ? 0 : serverNow - Date.now(),
      dayLabel: node.getAttribute("data-day-label") || "d"
    };
  });
  function tick() {
    items.forEach(function (item) {
      item.node.textContent = format(item.deadline - (Date.now() + item.offset), item.dayLabel);
    });
  }
  tick();
  setInterval(tick, 1000);
})();
