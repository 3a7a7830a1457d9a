// Live sandbox pages: poll the market's clock and refresh the page's live regions.
//
// A page opts in with an element carrying data-live-market (the market id),
// data-last-seq (the last event the page was rendered at) and data-clock-url.
// Every few seconds the script asks the clock (JSON: sim_day, last_seq, status); it
// updates the visible clock at once and, when the market has moved on, fetches the
// same page again and swaps every element marked data-live="name" for its fresh copy.
// A region holding a form the user is filling in (focused or changed) is not
// replaced: its other parts are refreshed where they can be matched, and a notice
// offers a reload. Without JavaScript the pages are complete; this only saves reloads.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-market][data-last-seq][data-clock-url]");
  if (!root || !window.fetch || !window.DOMParser) { return; }

  var POLL_MS = 5000;
  var lastSeq = root.getAttribute("data-last-seq");
  var status = root.getAttribute("data-status") || null;
  var busy = false;

  function format(template, name, value) {
    return template ? template.replace("{" + name + "}", value) : String(value);
  }

  function updateClock(clock) {
    var box = root.querySelector("[data-live-clock]");
    if (!box) { return; }
    var day = box.querySelector("[data-live-day]");
    var state = box.querySelector("[data-live-status]");
    if (day) { day.textContent = format(box.getAttribute("data-label-day"), "day", clock.sim_day); }
    if (state) {
      var label = box.getAttribute("data-label-" + clock.status) || clock.status;
      state.textContent = format(box.getAttribute("data-label-status"), "status", label);
    }
  }

  function notice(kind) {
    var box = root.querySelector("[data-live-notice]");
    var clock = root.querySelector("[data-live-clock]");
    if (!box || !clock) { return; }
    var text = clock.getAttribute("data-label-" + kind);
    if (!text) { return; }
    box.textContent = text;
    box.hidden = false;
  }

  function isDirty(element) {
    // A form showing errors holds what the user sent: never replace it by a blank one.
    if (element.querySelector(".has-error, .form-errors")) { return true; }
    var active = document.activeElement;
    if (active && active !== document.body && element.contains(active) &&
        /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) {
      return true;
    }
    var fields = element.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i += 1) {
      var field = fields[i];
      if (field.type === "hidden") { continue; }
      if (field.tagName === "SELECT") {
        for (var j = 0; j < field.options.length; j += 1) {
          if (field.options[j].selected !== field.options[j].defaultSelected) { return true; }
        }
      } else if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked !== field.defaultChecked) { return true; }
      } else if (field.value !== field.defaultValue) {
        return true;
      }
    }
    return false;
  }

  // Replace old by fresh unless the user is busy in it; then try its children.
  // Returns false when something could not be refreshed.
  function swap(old, fresh) {
    if (!isDirty(old)) {
      old.replaceWith(document.importNode(fresh, true));
      return true;
    }
    var oldKids = old.children;
    var freshKids = fresh.children;
    if (oldKids.length !== freshKids.length) { return false; }
    var complete = true;
    var pairs = [];
    for (var i = 0; i < oldKids.length; i += 1) {
      if (oldKids[i].tagName !== freshKids[i].tagName) { return false; }
      pairs.push([oldKids[i], freshKids[i]]);
    }
    pairs.forEach(function (pair) {
      if (pair[0].tagName === "FORM" && isDirty(pair[0])) { complete = false; return; }
      if (!swap(pair[0], pair[1])) { complete = false; }
    });
    return complete;
  }

  function refresh(clock) {
    if (!root.querySelector("[data-live]")) {
      // Nothing on this page can be refreshed in place: say so once.
      notice("stale");
      lastSeq = String(clock.last_seq);
      status = clock.status;
      return null;
    }
    return fetch(window.location.href, {
      credentials: "same-origin",
      headers: { "Accept": "text/html" }
    }).then(function (response) {
      if (!response.ok) { return null; }
      return response.text();
    }).then(function (html) {
      if (html === null) { notice("stale"); return; }
      var doc = new DOMParser().parseFromString(html, "text/html");
      var complete = true;
      root.querySelectorAll("[data-live]").forEach(function (old) {
        var name = old.getAttribute("data-live");
        if (old.parentElement && old.parentElement.closest("[data-live]")) { return; }
        var fresh = doc.querySelector('[data-live="' + name + '"]');
        if (!fresh) { complete = false; return; }
        if (!swap(old, fresh)) { complete = false; }
      });
      if (!complete) {
        notice("stale");
      } else {
        notice("updated");
      }
      lastSeq = String(clock.last_seq);
      status = clock.status;
      root.setAttribute("data-last-seq", lastSeq);
    });
  }

  function poll() {
    if (busy || document.hidden) { return; }
    busy = true;
    fetch(root.getAttribute("data-clock-url"), {
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || type.indexOf("json") === -1) { return null; }
      return response.json();
    }).then(function (clock) {
      if (!clock || typeof clock.last_seq !== "number") { return null; }
      updateClock(clock);
      var moved = String(clock.last_seq) !== String(lastSeq);
      var changed = status !== null && clock.status !== status;
      if (status === null) { status = clock.status; }
      if (moved || changed) { return refresh(clock); }
      return null;
    }).catch(function () {
      // The network or the server is away: keep the page as it is and try again.
    }).then(function () {
      busy = false;
    });
  }

  window.setInterval(poll, POLL_MS);
}());
