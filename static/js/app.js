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

// --- Confirm steps and busy buttons (issue 11) ---------------------------------------------
// The confirm step comes from the server: without JavaScript a page, with htmx a <dialog>
// appended to the body (placement/views/confirm.py). Here it becomes a modal: focus moves into
// it (to the safe way out), Escape or "Cancel" closes it and gives focus back to the form.
(function () {
  var opener = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    opener = event.target;
  });

  document.addEventListener("htmx:load", function (event) {
    var dialog = event.target;
    if (!(dialog instanceof HTMLDialogElement) || !dialog.hasAttribute("data-confirm-dialog")) {
      return;
    }
    dialog.addEventListener("close", function () {
      dialog.remove();
      var button = opener && opener.querySelector && opener.querySelector("button[type=submit]");
      if (button) {
        button.focus();
      }
    });
    dialog.showModal();
    var cancel = dialog.querySelector("[data-confirm-cancel]");
    if (cancel) {
      cancel.focus();
    }
  });

  // A refused first step comes back as a whole page in place of the body: bring focus to the
  // first problem, as on a page load.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target !== document.body) {
      return;
    }
    var problem = document.querySelector("main .alert-danger[role=alert], main [aria-invalid=true]");
    if (problem) {
      if (!problem.hasAttribute("tabindex") && problem.tagName === "DIV") {
        problem.setAttribute("tabindex", "-1");
      }
      problem.focus();
    }
  });

  document.addEventListener("click", function (event) {
    var cancel = event.target instanceof Element && event.target.closest("dialog [data-confirm-cancel]");
    if (cancel) {
      event.preventDefault();
      cancel.closest("dialog").close();
    }
  });

  // Work that takes more than a moment: the button is disabled and says so ("Bezig…") until
  // the next page arrives. Forms sent by htmx have data-hx-disabled-elt instead.
  function markBusy(control, text) {
    control.setAttribute("aria-busy", "true");
    control.dataset.idleHtml = control.innerHTML;
    var spinner = document.createElement("span");
    spinner.className = "spinner-border spinner-border-sm me-1";
    spinner.setAttribute("aria-hidden", "true");
    control.replaceChildren(spinner, document.createTextNode(text));
  }

  function markIdle(control) {
    if (control.dataset.idleHtml !== undefined) {
      control.innerHTML = control.dataset.idleHtml;
      delete control.dataset.idleHtml;
    }
    control.removeAttribute("aria-busy");
    control.removeAttribute("aria-disabled");
    control.classList.remove("disabled");
    if (control instanceof HTMLButtonElement) {
      control.disabled = false;
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-busy") || event.defaultPrevented) {
      return;
    }
    var button = event.submitter || form.querySelector("button[type=submit]");
    form.setAttribute("aria-busy", "true");
    if (button) {
      // After this event: a button disabled now would leave its name out of the posted data.
      window.setTimeout(function () {
        markBusy(button, form.getAttribute("data-busy"));
        button.disabled = true;
      }, 0);
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("a[data-busy]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return;
    }
    if (link.getAttribute("aria-busy") === "true") {
      event.preventDefault();
      return;
    }
    markBusy(link, link.getAttribute("data-busy"));
    link.setAttribute("aria-disabled", "true");
    link.classList.add("disabled");
    // A PDF may open in a viewer or download without leaving this page: free the link again.
    window.setTimeout(function () { markIdle(link); }, 15000);
  });

  // Back to this page from the browser's cache: nothing is running any more.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("[aria-busy=true]").forEach(function (element) {
        markIdle(element);
      });
    }
  });
})();

// Escape folds the open phone menu (Bootstrap's collapse) and returns focus to its button.
document.addEventListener("keydown", function (event) {
  var menu = document.getElementById("desk-nav");
  if (event.key !== "Escape" || !menu || !menu.classList.contains("show") || !window.bootstrap) {
    return;
  }
  var toggler = document.querySelector("[data-bs-target='#desk-nav']");
  if (!toggler || toggler.offsetParent === null) {
    return;  // wide screen: the menu is not folded
  }
  window.bootstrap.Collapse.getOrCreateInstance(menu, { toggle: false }).hide();
  toggler.focus();
});
