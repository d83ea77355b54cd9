// Practice: keeps a tally of the questions practised on this device (no account needed) and shows it.
(function () {
  "use strict";
  var root = document.querySelector("[data-practice-slug]");
  if (!root) return;
  var key = "practice:" + root.getAttribute("data-practice-slug");
  var tally = { answered: 0, right: 0, seen: [] };
  try {
    var stored = JSON.parse(window.localStorage.getItem(key) || "null");
    if (stored && typeof stored.answered === "number" && Array.isArray(stored.seen)) tally = stored;
  } catch (error) { /* storage off or unreadable: start afresh */ }

  var answer = root.querySelector("[data-practice-answer]");
  if (answer) {
    var id = answer.getAttribute("data-practice-answer");
    if (tally.seen.indexOf(id) === -1) { // a reload of the same answer counts once
      tally.answered += 1;
      tally.right += answer.getAttribute("data-right") === "1" ? 1 : 0;
      tally.seen.push(id);
      tally.seen = tally.seen.slice(-200);
      try { window.localStorage.setItem(key, JSON.stringify(tally)); } catch (error) { /* full or off */ }
    }
  }
  if (!tally.answered) return;
  var template = root.getAttribute("data-device-tally");
  root.querySelectorAll(".device-tally").forEach(function (line) {
    line.textContent = template.replace("{answered}", tally.answered).replace("{right}", tally.right);
    line.hidden = false;
  });
})();
