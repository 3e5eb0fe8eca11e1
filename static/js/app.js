// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Quick exit: sign out and leave at the same moment, leaving nothing this tab's Back button
  // can reopen. The beacon carries the page's CSRF token in its form body and is sent even
  // while the page unloads on a slow network; without this file the form posts on its own.
  function quickExit(form) {
    if (form.method.toLowerCase() !== "post") return window.location.replace(form.getAttribute("data-quick-exit"));
    if (!navigator.sendBeacon) return form.submit();
    var data = new FormData(form);
    data.append("beacon", "1"); // answered with 204, not with a redirect to follow
    navigator.sendBeacon(form.action, data);
    window.location.replace(form.getAttribute("data-quick-exit"));
  }
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-quick-exit]");
    if (!form) return;
    event.preventDefault();
    quickExit(form);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && event.shiftKey) {
      var form = document.querySelector("[data-quick-exit]");
      if (form) quickExit(form);
    }
  });
  // A page restored from the back-forward cache would show what a sign-out should have
  // hidden; load it afresh instead (personal pages are no-store, so browsers rarely keep them).
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) window.location.reload();
  });
  // htmx sends the CSRF token with every request it makes.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) event.detail.headers["X-CSRFToken"] = token.value;
  });
})();
