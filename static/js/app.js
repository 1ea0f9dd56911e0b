// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // After a refused form, bring keyboard and screen-reader focus to the first problem.
  var problem = document.querySelector("main .alert-danger[role=alert], main [aria-invalid=true]");
  if (problem) {
    if (!problem.hasAttribute("tabindex") && problem.tagName === "DIV") {
      problem.setAttribute("tabindex", "-1");
    }
    problem.focus();
  }
});

// A select marked data-submit-on-change submits its form when the choice changes (the page keeps
// its submit button for use without JavaScript). No inline handlers: the CSP forbids them.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-submit-on-change") && target.form) {
    target.form.requestSubmit ? target.form.requestSubmit() : target.form.submit();
  }
});
