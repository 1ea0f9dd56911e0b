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
