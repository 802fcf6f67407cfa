/*
 * The legal team's pages, a little more convenient with a script (every
 * page works without it; service.js, on every page, moves focus to an
 * error summary):
 * - the references panel's Insert buttons put a reference where the cursor
 *   was in the text last edited, and say so to screen readers;
 * - a finding's "line N" link in the YAML view moves the cursor to that line;
 * - while a draft is being published, its page looks again every few
 *   seconds, and shows the published version (or why not) once it is done;
 * - a part's form is checked as it is typed: after a pause in typing, or
 *   on leaving a field, the form (with its CSRF token) is posted to its
 *   check, which saves nothing, and the findings, each field's problem and
 *   findings, and a section's preview are put in place. Focus never moves;
 *   the page's one status region says, briefly, what the check found.
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

  var live = document.querySelector("form[data-live-check]");
  if (live && window.fetch && window.DOMParser && window.FormData) {
    liveCheck(live);
  }

  function liveCheck(form) {
    var said = document.getElementById("live-status");
    var timer = null, asked = 0;
    var sent = typed();

    function typed() {
      return new window.URLSearchParams(new window.FormData(form)).toString();
    }

    function run() {
      window.clearTimeout(timer);
      var body = typed();
      if (body === sent) { return; }
      sent = body;
      var mine = ++asked;
      window.fetch(form.getAttribute("data-live-check"), {
        method: "POST", credentials: "same-origin", body: body,
        headers: {"Content-Type": "application/x-www-form-urlencoded"}
      })
        .then(function (answer) { return answer.ok ? answer.text() : null; })
        .then(function (html) {
          if (html === null || mine !== asked) { return; }
          var fresh = new window.DOMParser().parseFromString(html, "text/html")
            .querySelector("[data-live-check]");
          if (fresh) { show(fresh); }
        })
        .catch(function () { sent = null; /* the next pause tries again */ });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(run, 600);
    }

    function replace(box, from) {
      while (box.firstChild) { box.removeChild(box.firstChild); }
      Array.prototype.forEach.call(from.childNodes, function (node) {
        box.appendChild(document.importNode(node, true));
      });
    }

    function show(fresh) {
      Array.prototype.forEach.call(document.querySelectorAll("[data-live]"), function (box) {
        var from = fresh.querySelector("[data-live='" + box.getAttribute("data-live") + "']");
        if (from) { replace(box, from); }
      });
      Array.prototype.forEach.call(document.querySelectorAll("[data-live-notes]"), function (box) {
        var id = box.getAttribute("data-live-notes");
        var from = fresh.querySelector("[data-live-notes='" + id + "']");
        if (!from) { return; }
        replace(box, from);
        var error = from.getAttribute("data-error") === "yes";
        var severity = from.getAttribute("data-severity");
        var group = box.parentNode.closest(".cc-form-group");
        if (group) {
          group.classList.toggle("cc-form-group--error", error);
          ["finding", "error", "warning", "note"].forEach(function (s) {
            group.classList.remove("cc-legal-has-" + s);
          });
          if (severity) {
            group.classList.add("cc-legal-has-finding", "cc-legal-has-" + severity);
          }
        }
        var notes = Array.prototype.map.call(box.querySelectorAll("[id]"), function (el) {
          return el.id;
        });
        Array.prototype.forEach.call(document.querySelectorAll("[data-live-field='" + id + "']"),
          function (field) {
            var kept = (field.getAttribute("aria-describedby") || "").split(/\s+/)
              .filter(function (token) {
                return token && token !== id + "-error" && token.indexOf(id + "-finding-") !== 0;
              });
            var all = kept.concat(notes);
            if (all.length) {
              field.setAttribute("aria-describedby", all.join(" "));
            } else {
              field.removeAttribute("aria-describedby");
            }
            if (/^(INPUT|TEXTAREA)$/.test(field.tagName)) {
              field.classList.toggle("cc-input--error", error);
            }
          });
      });
      var words = fresh.querySelector("[data-live='status']");
      if (said && words && said.textContent !== words.textContent) {
        said.textContent = words.textContent;
      }
    }

    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("focusout", function () {
      if (timer !== null) { run(); }
    });
    form.addEventListener("submit", function () {
      window.clearTimeout(timer);
      asked++;
    });
  }
}());
