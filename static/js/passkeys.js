// allauth's passkey forms report a cancelled or failed prompt as an "allauth.error" event;
// say so on the page, kindly, instead of only in the console.
(function () {
  "use strict";
  document.addEventListener("allauth.error", function (event) {
    event.preventDefault();
    document.querySelectorAll(".passkey-problem").forEach(function (problem) {
      problem.hidden = false;
    });
  });
})();
