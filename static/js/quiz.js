// Quiz attempts: autosave answers, show the time left, confirm the final submit.
// The page works without this file: every button posts the form and saves the page.
// The server holds the deadline; the countdown here is only a display of it.
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form) { return; }
  var status = document.getElementById("save-status");
  var url = form.getAttribute("data-autosave-url");
  var tokenField = form.querySelector("input[name=csrf_token]");
  var timer = null;
  var inFlight = false;
  var pending = false;
  var closed = false;
  var failed = form.getAttribute("data-save-failed") || "Not saved";

  function say(text) { if (status) { status.textContent = text; } }

  function save() {
    if (closed) { return; }
    if (inFlight) { pending = true; return; }
    inFlight = true;
    var data = new FormData(form);
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": tokenField ? tokenField.value : "", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, status: response.status, body: body }; });
    }).then(function (result) {
      if (result.status === 409) {
        closed = true;
        say(result.body.detail || "");
        window.setTimeout(function () { window.location.reload(); }, 2500);
        return;
      }
      if (!result.ok) { say(failed); return; }
      var errors = result.body.errors || {};
      var keys = Object.keys(errors);
      if (keys.length) {
        say(keys.map(function (k) { return "Q" + k + ": " + errors[k]; }).join(" · "));
      } else {
        var when = new Date();
        say((form.getAttribute("data-saved-text") || "Saved") + " " + when.toLocaleTimeString());
      }
      if (typeof result.body.seconds_left === "number") { setDeadline(result.body.seconds_left); }
    }).catch(function () {
      say(failed);
    }).then(function () {
      inFlight = false;
      if (pending) { pending = false; schedule(); }
    });
  }

  function schedule() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(save, 800);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);

  // The countdown: recomputed from the server's figure after each save.
  var clock = document.getElementById("time-left");
  var clockValue = document.getElementById("time-left-value");
  var deadline = null;
  function setDeadline(seconds) { deadline = Date.now() + seconds * 1000; }
  if (clock) {
    setDeadline(parseInt(clock.getAttribute("data-seconds-left"), 10) || 0);
    window.setInterval(function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      clockValue.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      if (left === 0 && !closed) {
        closed = true;
        window.setTimeout(function () { window.location.reload(); }, 1500);
      }
    }, 1000);
  }

  // Ask before the final submit.
  Array.prototype.forEach.call(form.querySelectorAll("[data-confirm]"), function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  // Word counts under essay boxes.
  Array.prototype.forEach.call(form.querySelectorAll("textarea[data-word-count]"), function (box) {
    var note = document.createElement("p");
    note.className = "hint";
    note.setAttribute("aria-live", "polite");
    box.parentNode.appendChild(note);
    function count() {
      var text = box.value;
      var cjk = (text.match(/[\u3400-\u9fff]/g) || []).length;
      var words = (text.replace(/[\u3400-\u9fff]/g, " ").match(/\S+/g) || []).length;
      note.textContent = (cjk + words) + " " + (box.getAttribute("data-words-label") || "words");
    }
    box.addEventListener("input", count);
    count();
  });
})();
