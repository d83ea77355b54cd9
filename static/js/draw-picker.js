// The new-round form's draw tables: only the chosen bank's table is shown (the others are cleared so
// they cannot add to the draw unseen), with a running total against the number of questions. Without
// JavaScript every bank's table shows and the server checks the total.
(function () {
  "use strict";
  var bank = document.getElementById("bank");
  var questions = document.getElementById("questions");
  var total = document.getElementById("draw-total");
  var tables = document.querySelectorAll(".draw-bank");
  if (!bank || !tables.length) return;

  function count() {
    var chosen = 0;
    document.querySelectorAll(".draw-bank:not([hidden]) input.pick").forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (value > 0) chosen += value;
    });
    var needed = parseInt(questions.value, 10) || 0;
    total.hidden = false;
    total.textContent = chosen ? total.dataset.template.replace("{chosen}", chosen).replace("{needed}", needed)
      : total.dataset.none;
    total.classList.toggle("error", chosen > 0 && chosen !== needed);
    total.classList.toggle("correct", chosen > 0 && chosen === needed);
  }

  function showChosenBank() {
    tables.forEach(function (table) {
      var shown = table.dataset.bank === bank.value;
      table.hidden = !shown;
      if (!shown) table.querySelectorAll("input.pick").forEach(function (input) { input.value = ""; });
    });
    count();
  }

  bank.addEventListener("change", showChosenBank);
  questions.addEventListener("input", count);
  document.querySelectorAll("input.pick").forEach(function (input) { input.addEventListener("input", count); });
  showChosenBank();
})();
