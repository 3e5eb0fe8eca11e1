// The app as installed on a home screen: the number on its icon, and the service worker that
// keeps the offline page. Every page works without this file.
(function () {
  "use strict";
  // Only a signed-in person's pages carry the number (base.html). A guest answering a link,
  // or anyone signed out, gets no service worker from us: nothing of this site stays behind.
  var waiting = document.body.getAttribute("data-waiting");
  var signedIn = waiting !== null;

  // The Badging API, where the browser has it (an installed app on most systems). It shows
  // how many follow-ups are waiting, and nothing at all when none are or once signed out:
  // a quiet number, never a reminder.
  function showBadge() {
    if (!("setAppBadge" in navigator)) return;
    var count = signedIn ? parseInt(waiting, 10) : 0;
    var done = count > 0 ? navigator.setAppBadge(count) : navigator.clearAppBadge();
    // Refused (not installed, or not allowed here): the page has nothing else to show.
    if (done && done.catch) done.catch(function () {});
  }

  function keepServiceWorker() {
    if (!signedIn || !("serviceWorker" in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }

  showBadge();
  keepServiceWorker();
})();
