/*
 * The legal team's pages, a little more convenient with a script (every
 * page works without it; service.js, on every page, moves focus to an
 * error summary):
 * - the references panel's Insert buttons put a reference where the cursor
 *   was in the text last edited, and say so to screen readers;
 * - a finding's "line N" link in the YAML view moves the cursor to that line;
 * - while a draft is being published, its page looks again every few
 *   seconds, and shows the published version (or why not) once it is done.
 */
(function () {
  "use strict";

  var markup = document.querySelectorAll("textarea[data-markup]");
  var status = document.getElementById("refs-status");
  var how = document.querySelector(".cc-refs__how");
  var last = markup.length ? markup[0] : null;
  Array.prototype.forEach.call(markup, function (area) {
    area.addEventListener("focus", function () { last = area; });
  });
  if (how && last) { how.textContent = how.getAttribute("data-js-text"); }
  Array.prototype.forEach.call(document.querySelectorAll("[data-insert]"), function (button) {
    if (!last) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = button.getAttribute("data-insert");
      var start = last.selectionStart, end = last.selectionEnd;
      last.value = last.value.slice(0, start) + text + last.value.slice(end);
      last.focus();
      last.selectionStart = last.selectionEnd = start + text.length;
      if (status) {
        status.textContent = "Inserted " + text + " into " + last.getAttribute("data-markup") + ".";
      }
    });
  });

  var source = document.getElementById("source");
  Array.prototype.forEach.call(document.querySelectorAll("a[data-line]"), function (link) {
    if (!source) { return; }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var line = parseInt(link.getAttribute("data-line"), 10) || 1;
      var column = parseInt(link.getAttribute("data-column"), 10) || 1;
      var lines = source.value.split("\n");
      var at = 0;
      for (var i = 0; i < line - 1 && i < lines.length; i++) { at += lines[i].length + 1; }
      at += Math.min(column - 1, (lines[line - 1] || "").length);
      source.focus();
      source.setSelectionRange(at, at);
      var height = source.scrollHeight / Math.max(lines.length, 1);
      source.scrollTop = Math.max(0, (line - 5) * height);
    });
  });

  var progress = document.querySelector("[data-refresh]");
  if (progress && window.fetch && window.DOMParser) {
    var note = progress.querySelector(".cc-legal-refresh");
    if (note) { note.textContent = "This page looks again every few seconds."; }
    var timer = window.setInterval(function () {
      window.fetch(progress.getAttribute("data-refresh"), { credentials: "same-origin" })
        .then(function (answer) { return answer.ok ? answer.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          var fresh = new window.DOMParser().parseFromString(html, "text/html")
            .querySelector("[data-refresh]");
          if (!fresh) {
            window.clearInterval(timer);
            window.location.reload();
            return;
          }
          var now = progress.querySelector(".cc-legal-now");
          var then = fresh.querySelector(".cc-legal-now");
          if (now && then && now.textContent !== then.textContent) {
            now.textContent = then.textContent;
          }
        })
        .catch(function () { /* try again at the next tick */ });
    }, 3000);
  }
}());
