// The contest's live counter for a unit's portal. Place where it should show:
//   <script src="https://THE-SITE/static/js/embed.js" data-contest="cds-2026" data-unit="HBX-SYT" async></script>
// It writes an iframe of /contests/<slug>/widget (figures cached by the site, refreshed every minute).
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.contest) return;
  var origin = new URL(script.src).origin;
  var address = origin + "/contests/" + encodeURIComponent(script.dataset.contest) + "/widget";
  if (script.dataset.unit) address += "?unit=" + encodeURIComponent(script.dataset.unit);
  var frame = document.createElement("iframe");
  frame.src = address;
  frame.title = script.dataset.title || "Cuộc thi trực tuyến";
  frame.loading = "lazy";
  frame.style.border = "0";
  frame.style.width = script.dataset.width || "100%";
  frame.style.height = script.dataset.height || "190px";
  script.parentNode.insertBefore(frame, script);
})();
