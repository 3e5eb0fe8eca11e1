// Soft Landing's service worker: it shows the notifications the server pushes and opens the
// app when one is tapped, and shows an offline page when a page cannot load for want of a
// network. It keeps exactly two things: that page (rendered for nobody, fetched without
// cookies) and the stylesheet it wears. Every other page comes from the network only and is
// never stored: pages hold personal data and must never be kept on the device or outlive a
// sign-out.
"use strict";

// --- Installing, and the offline page ---------------------------------------------------

// A new name whenever the offline page or what it keeps changes: the old copy is then dropped.
var OFFLINE_CACHE = "offline-v1";
var OFFLINE_URL = "/offline/";

function keepOfflinePage() {
  return caches.open(OFFLINE_CACHE).then(function (cache) {
    return fetch(OFFLINE_URL, { credentials: "omit", cache: "no-store" }).then(function (page) {
      if (!page.ok) throw new Error("The offline page did not load.");
      return page
        .clone()
        .text()
        .then(function (html) {
          var sheet = /<link rel="stylesheet" href="([^"]+)"/.exec(html);
          return Promise.all([
            cache.put(OFFLINE_URL, page),
            sheet ? cache.add(new Request(sheet[1], { credentials: "omit" })) : null,
          ]);
        });
    });
  });
}

function dropOtherCaches() {
  return caches.keys().then(function (names) {
    return Promise.all(
      names
        .filter(function (name) {
          return name !== OFFLINE_CACHE;
        })
        .map(function (name) {
          return caches.delete(name);
        })
    );
  });
}

// Pages go to the network as before; only when it cannot be reached does the offline page
// answer. Navigation preload starts the request while the worker wakes, so pages are not slower.
function pageOrOfflinePage(event) {
  return Promise.resolve(event.preloadResponse)
    .then(function (preloaded) {
      return preloaded || fetch(event.request);
    })
    .catch(function () {
      return caches.match(OFFLINE_URL).then(function (kept) {
        return kept || Response.error();
      });
    });
}

// The offline page's stylesheet, from the copy kept with it when the network is gone.
function stylesheetOrKeptCopy(request) {
  return fetch(request).catch(function () {
    return caches.match(request).then(function (kept) {
      return kept || Response.error();
    });
  });
}

// A new version takes over at once rather than waiting for every tab to close. A failure to
// keep the offline page never stops the worker from installing: notifications matter more.
self.addEventListener("install", function (event) {
  self.skipWaiting();
  event.waitUntil(keepOfflinePage().catch(function () {}));
});
self.addEventListener("activate", function (event) {
  var preload = self.registration.navigationPreload
    ? self.registration.navigationPreload.enable()
    : null;
  event.waitUntil(Promise.all([self.clients.claim(), dropOtherCaches(), preload]));
});
self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(pageOrOfflinePage(event));
  } else if (request.destination === "style" && new URL(request.url).origin === self.location.origin) {
    event.respondWith(stylesheetOrKeptCopy(request));
  }
  // Anything else is left to the browser, exactly as without a worker.
});

// --- Notifications ------------------------------------------------------------------------

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
