// Forms marked data-confirm="..." ask before they post; saying yes sends confirmed=1, so the server does not
// ask again with its own page (what a browser without JavaScript gets).
(function () {
  "use strict";
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      var message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
      if (!window.confirm(message)) {
        event.preventDefault();
        return;
      }
      var field = form.querySelector("input[name=confirmed]");
      if (!field) {
        field = document.createElement("input");
        field.type = "hidden";
        field.name = "confirmed";
        form.appendChild(field);
      }
      field.value = "1";
    });
  });
})();
