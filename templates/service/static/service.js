/*
 * The public pages' one script, after the GOV.UK Design System (every page
 * works without it):
 * - after a failed submit, focus moves to the error summary, so a screen
 *   reader announces it and a keyboard user starts there; each of its links
 *   moves focus to its field and shows the field's question;
 * - the questions that belong to one format (text size, braille grade) show
 *   only under the chosen format (conditional reveal).
 */
(function () {
  "use strict";
  document.documentElement.classList.add("cc-js");

  var summary = document.querySelector("[data-module='error-summary']");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var input = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!input) {
        return;
      }
      event.preventDefault();
      var group = input.closest("fieldset");
      var legend = group && group.querySelector("legend");
      var label = document.querySelector("label[for='" + input.id + "']");
      (legend || label || input).scrollIntoView();
      input.focus({preventScroll: true});
    });
  }

  document.querySelectorAll("[data-module='radios']").forEach(function (group) {
    var controls = [];
    group.querySelectorAll("input[type='radio'][data-aria-controls]").forEach(function (input) {
      var target = document.getElementById(input.getAttribute("data-aria-controls"));
      if (target) {
        input.setAttribute("aria-controls", target.id);
        input.removeAttribute("data-aria-controls");
        controls.push([input, target]);
      }
    });
    function sync() {
      controls.forEach(function (pair) {
        pair[1].classList.toggle("cc-radios__conditional--hidden", !pair[0].checked);
      });
    }
    group.addEventListener("change", sync);
    sync();
  });
})();
