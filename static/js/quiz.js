// The quiz, one question at a time: every choice is saved at once; choices that could not be sent
// wait in this device's storage and are sent again when the connection returns; the countdown
// follows the server's deadline, measured against the server's clock.
(function () {
  "use strict";
  var dataNode = document.getElementById("quiz-data");
  var form = document.getElementById("quiz-form");
  if (!dataNode || !form || !window.fetch || !window.JSON) return;
  var data = JSON.parse(dataNode.textContent);
  var msg = data.messages;
  var csrf = form.querySelector("input[name=csrf_token]").value;
  // The attempt token authenticates saves, absences and the submission by itself (no session to open, no
  // CSRF check on the server); when it is refused (the login changed, its time is over) the page forgets it
  // and goes on with the session cookie and the CSRF token, which every call carries as well.
  var attemptToken = data.attemptToken || null;
  function headers() {
    var sent = { "Content-Type": "application/json", "X-CSRFToken": csrf };
    if (attemptToken) sent["X-Attempt-Token"] = attemptToken;
    return sent;
  }
  var pendingKey = "quiz-" + data.attemptId + "-pending";
  var flagKey = "quiz-" + data.attemptId + "-flags";
  // the question the person was on, kept on this device: coming back (Back, a reload, the contest page's
  // "Tiếp tục làm bài") opens it again; on another device, the first question without a saved answer
  var placeKey = "quiz-" + data.attemptId + "-place";
  var offset = Date.parse(data.serverNow) - Date.now();
  var deadline = Date.parse(data.deadline);
  var pages = Array.prototype.slice.call(form.querySelectorAll(".question-card"));
  var submitCard = document.getElementById("submit-card");
  var nav = document.querySelector(".quiz-nav");
  var palette = document.getElementById("palette");
  var statusNode = document.getElementById("save-status");
  var current = 0;
  var finishing = false;

  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { return {}; }
  }
  function store(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: memory only */ }
  }
  var pending = load(pendingKey);
  var flags = load(flagKey);

  function chosen(page) {
    return Array.prototype.map.call(page.querySelectorAll("input:checked"), function (input) {
      return parseInt(input.value, 10);
    });
  }
  function setStatus(text) { statusNode.textContent = text; }

  // ---- saving -------------------------------------------------------------------------------
  // A choice leaves the queue only when the server stored it, or refused it for good ("invalid": the
  // question does not take it). A stale CSRF token (cookie lost, key rotated) is renewed and the choice
  // sent again; a lost login keeps the queue until the participant logs in again (another tab will do);
  // a busy or unreachable server is tried again later, waiting longer each time (1 s, 2 s, ... 30 s).
  var sending = false;
  var retryAt = 0;
  var backoff = 1000;
  var renewedAt = 0;
  function renewToken() {
    renewedAt = Date.now();
    return fetch(data.csrfUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (body) { csrf = body.csrf_token; });
  }
  function later() {
    retryAt = Date.now() + backoff;
    backoff = Math.min(backoff * 2, 30000);
  }
  function flush() {
    if (sending || Date.now() < retryAt) return Promise.resolve();
    var positions = Object.keys(pending);
    if (!positions.length) { setStatus(msg.saved); return Promise.resolve(); }
    sending = true;
    setStatus(msg.saving);
    var position = positions[0];
    var options = pending[position];
    function done() {
      if (JSON.stringify(pending[position]) === JSON.stringify(options)) delete pending[position];
      store(pendingKey, pending);
    }
    return fetch(data.answerUrl + position, {
      method: "PUT",
      credentials: "same-origin",
      headers: headers(),
      body: JSON.stringify({ options: options })
    }).then(function (response) {
      if (response.ok) {
        sending = false;
        backoff = 1000;
        done();
        return flush();
      }
      if (response.status === 409) { sending = false; return finish(); }
      return response.json().catch(function () { return {}; }).then(function (body) {
        sending = false;
        if (response.status === 400 && body.error === "invalid") { done(); return flush(); }
        if (response.status === 401 && body.error === "attempt_token") { attemptToken = null; return flush(); }
        if (response.status === 400 && body.error === "csrf" && Date.now() - renewedAt > 2000) {
          return renewToken().then(flush);
        }
        if (response.status === 401) { setStatus(msg.loggedOut); later(); return undefined; }
        throw new Error("status " + response.status);
      });
    }).catch(function () {
      sending = false;
      later();
      setStatus(msg.offline);
    });
  }
  function queue(page) {
    pending[page.getAttribute("data-position")] = chosen(page);
    store(pendingKey, pending);
    paint();
    flush();
  }

  // ---- navigation ---------------------------------------------------------------------------
  function show(index) {
    current = Math.max(0, Math.min(index, pages.length));
    try { localStorage.setItem(placeKey, String(current)); } catch (e) { /* private mode: not kept */ }
    pages.forEach(function (page, i) { page.hidden = i !== current; });
    submitCard.hidden = current !== pages.length;
    if (current === pages.length) noteUnanswered();
    document.getElementById("previous").disabled = current === 0;
    document.getElementById("next").hidden = current >= pages.length;
    var flag = document.getElementById("flag");
    flag.hidden = current >= pages.length;
    if (current < pages.length) {
      flag.setAttribute("aria-pressed", flags[pages[current].getAttribute("data-position")] ? "true" : "false");
    }
    paint();
    var target = current < pages.length ? pages[current].querySelector("legend") : submitCard.querySelector("h2");
    if (target) { target.setAttribute("tabindex", "-1"); target.focus(); }
  }
  function paint() {
    palette.textContent = "";
    pages.forEach(function (page, i) {
      var position = page.getAttribute("data-position");
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = position;
      var answered = chosen(page).length > 0;
      button.className = "palette-item " + (answered ? "answered" : "unanswered") +
        (flags[position] ? " flagged" : "") + (i === current ? " current" : "");
      button.setAttribute("aria-label", msg.question + " " + position);
      if (i === current) button.setAttribute("aria-current", "step");
      button.addEventListener("click", function () { show(i); });
      item.appendChild(button);
      palette.appendChild(item);
    });
  }
  function unanswered() {
    return pages.filter(function (page) { return chosen(page).length === 0; })
      .map(function (page) { return page.getAttribute("data-position"); });
  }
  function noteUnanswered() {
    var left = unanswered();
    document.getElementById("unanswered-note").textContent =
      left.length ? msg.unanswered + " " + left.join(", ") : msg.allAnswered;
  }

  // ---- submitting ---------------------------------------------------------------------------
  function finish() {
    if (finishing) return Promise.resolve();
    finishing = true;
    var predictionInput = document.getElementById("prediction");
    var prediction = predictionInput && predictionInput.value !== "" ? parseInt(predictionInput.value, 10) : null;
    return flush().then(function () {
      return fetch(data.submitUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: headers(),
        body: JSON.stringify({ prediction: prediction })
      });
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      if (!answer.ok && answer.body.error === "csrf" && Date.now() - renewedAt > 2000) {
        finishing = false;
        return renewToken().then(finish);
      }
      if (!answer.ok && answer.body.error === "attempt_token" && attemptToken) {
        finishing = false;
        attemptToken = null;
        return finish();
      }
      if (answer.ok) {
        try {
          localStorage.removeItem(pendingKey); localStorage.removeItem(flagKey); localStorage.removeItem(placeKey);
        } catch (e) { /* ignore */ }
        window.location.assign(answer.body.result_url);
      } else {
        finishing = false;
        setStatus(answer.body.message || msg.failed);
      }
    }).catch(function () {
      finishing = false;
      setStatus(msg.failed);
      setTimeout(function () { if (remaining() <= 0) finish(); }, 5000);
    });
  }
  function remaining() { return deadline - (Date.now() + offset); }

  // Screen readers hear the time running short once at 5 minutes and once at 1 minute (the countdown itself
  // is not read out every second); a page opened later hears the last mark already passed.
  var timeMarks = [[60, msg.oneMinute], [300, msg.fiveMinutes]];
  var lastMark = null;
  function announceTime(seconds) {
    for (var i = 0; i < timeMarks.length; i++) {
      if (seconds > 0 && seconds <= timeMarks[i][0]) {
        if (lastMark !== timeMarks[i][0]) {
          lastMark = timeMarks[i][0];
          document.getElementById("time-alert").textContent = timeMarks[i][1];
        }
        return;
      }
    }
  }

  function tick() {
    var left = remaining();
    var node = document.getElementById("time-left");
    var seconds = Math.max(0, Math.ceil(left / 1000));
    var minutes = Math.floor(seconds / 60);
    node.textContent = minutes + ":" + (seconds % 60 < 10 ? "0" : "") + (seconds % 60);
    node.parentNode.classList.toggle("time-short", seconds <= 60);
    announceTime(seconds);
    if (left <= 0 && !finishing) { setStatus(msg.timeUp); finish(); }
  }

  // ---- wiring -------------------------------------------------------------------------------
  Object.keys(pending).forEach(function (position) {
    var page = document.getElementById("q" + position);
    if (!page) return;
    Array.prototype.forEach.call(page.querySelectorAll("input"), function (input) {
      input.checked = pending[position].indexOf(parseInt(input.value, 10)) !== -1;
    });
  });
  pages.forEach(function (page) {
    page.addEventListener("change", function () { queue(page); });
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    // an empty prediction is asked about: it breaks ties, and it cannot be given after the submission
    var predictionInput = document.getElementById("prediction");
    var noPrediction = predictionInput && predictionInput.value.trim() === "";
    if (window.confirm(noPrediction ? msg.confirmNoPrediction : msg.confirm)) finish();
    else if (noPrediction) predictionInput.focus();
  });
  document.getElementById("previous").addEventListener("click", function () { show(current - 1); });
  document.getElementById("next").addEventListener("click", function () { show(current + 1); });
  document.getElementById("review").addEventListener("click", function () { show(pages.length); });
  document.getElementById("flag").addEventListener("click", function () {
    var position = pages[current].getAttribute("data-position");
    if (flags[position]) delete flags[position]; else flags[position] = true;
    store(flagKey, flags);
    show(current);
  });
  // Time spent on another tab or app is reported when the page is back (the integrity flags use it).
  var hiddenSince = null;
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { hiddenSince = Date.now(); return; }
    if (hiddenSince === null || finishing) return;
    var away = Date.now() - hiddenSince;
    hiddenSince = null;
    if (away < 2000) return;
    fetch(data.presenceUrl, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: headers(),
      body: JSON.stringify({ away_ms: away })
    }).catch(function () { /* offline: the report is lost, answers are not */ });
    flush();
  });
  window.addEventListener("online", function () { retryAt = 0; backoff = 1000; flush(); });
  setInterval(function () { if (Object.keys(pending).length) flush(); }, 1000);
  Array.prototype.forEach.call(document.querySelectorAll(".no-js-only"), function (node) { node.hidden = true; });
  nav.hidden = false;
  document.body.classList.add("quiz-js");
  function resumePlace() {
    var kept = null;
    try { kept = localStorage.getItem(placeKey); } catch (e) { /* private mode */ }
    if (kept !== null && /^\d+$/.test(kept)) return parseInt(kept, 10);
    var unanswered = pages.findIndex(function (page) { return !page.querySelector("input:checked"); });
    return unanswered === -1 ? 0 : unanswered;
  }
  show(resumePlace());
  flush();
  tick();
  setInterval(tick, 1000);
})();
