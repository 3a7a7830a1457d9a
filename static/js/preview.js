// Live preview for the lesson editor: the server renders and sanitises the Markdown,
// so the preview is exactly what learners will see. Without JavaScript the "Preview"
// button does the same with a page reload.
(function () {
  "use strict";
  var form = document.querySelector("form.editor[data-preview-url]");
  if (!form || !window.fetch) { return; }
  var token = document.querySelector('meta[name="csrf-token"]');
  var timers = {};

  function render(name) {
    var source = form.querySelector('[name="' + name + '"]');
    var target = form.querySelector('[data-preview-for="' + name + '"]');
    if (!source || !target) { return; }
    fetch(form.dataset.previewUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.content : "" },
      body: JSON.stringify({ body: source.value, course: form.dataset.course })
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data && typeof data.html === "string") { target.innerHTML = data.html; }
    }).catch(function () { /* keep the last preview; the form still works */ });
  }

  ["body", "body_zh"].forEach(function (name) {
    var source = form.querySelector('[name="' + name + '"]');
    if (!source) { return; }
    source.addEventListener("input", function () {
      clearTimeout(timers[name]);
      timers[name] = setTimeout(function () { render(name); }, 400);
    });
    render(name);
  });
}());
