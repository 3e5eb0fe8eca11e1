// Soft Landing's service worker: it shows the notifications the server pushes and opens the
// app when one is tapped. It caches nothing and handles no fetches: pages hold personal data
// and must never be kept on the device or outlive a sign-out.
"use strict";

// A new version takes over at once rather than waiting for every tab to close.
self.addEventListener("install", function () {
  self.skipWaiting();
});
self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

// Always on our own origin: a message can only ever open a page of this site.
function sameOriginUrl(raw) {
  try {
    var url = new URL(raw || "/", self.location.origin);
    return new URL(url.pathname + url.search + url.hash, self.location.origin).href;
  } catch (error) {
    return new URL("/", self.location.origin).href;
  }
}

self.addEventListener("push", function (event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  // The words are already discreet (the server chooses them); a push must always show
  // something, so an unreadable one still gets a neutral title.
  var title = typeof data.title === "string" && data.title ? data.title : "New message";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof data.body === "string" ? data.body : "",
      data: { url: sameOriginUrl(data.url) },
      // One notification at a time: a new one replaces the last instead of piling up.
      tag: "softlanding",
      renotify: true,
    })
  );
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = sameOriginUrl(event.notification.data && event.notification.data.url);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (list) {
      // Focus a tab that already shows the page; otherwise open one (never navigate an open
      // tab away: it may hold a half-written form).
      for (var i = 0; i < list.length; i++) {
        if (list[i].url === target && "focus" in list[i]) return list[i].focus();
      }
      return self.clients.openWindow(target);
    })
  );
});
