// Soft Landing's service worker: it shows the notifications the server pushes, answers a
// follow-up from its notification, opens the app when one is tapped, and shows an offline
// page when a page cannot load for want of a network. It keeps exactly two things: that page (rendered for nobody, fetched without
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

// A follow-up's notification offers two answers ("I'm OK", "Not so good"); the payload then
// carries where to post one and the single-use token to post with it.
var ANSWERS = ["ok", "not_good"];

function answerOf(data) {
  var answer = data.answer;
  if (!answer || typeof answer.token !== "string" || typeof answer.url !== "string") return null;
  return { url: sameOriginUrl(answer.url), token: answer.token };
}

function showFromPayload(data) {
  // The words are already discreet (the server chooses them); a push must always show
  // something, so an unreadable one still gets a neutral title.
  var title = typeof data.title === "string" && data.title ? data.title : "New message";
  var options = {
    body: typeof data.body === "string" ? data.body : "",
    data: { url: sameOriginUrl(data.url) },
    // One notification at a time: a new one replaces the last instead of piling up.
    tag: "softlanding",
    renotify: true,
  };
  var answer = answerOf(data);
  if (answer && Array.isArray(data.actions)) {
    options.actions = data.actions
      .filter(function (action) {
        return action && ANSWERS.indexOf(action.action) !== -1 && typeof action.title === "string";
      })
      .map(function (action) {
        return { action: action.action, title: action.title };
      });
    options.data.answer = answer;
  }
  return self.registration.showNotification(title, options);
}

// The number on the installed app's icon (the Badging API, where there is one): how many
// follow-ups are waiting, as the pages show it too (js/home-screen.js). A quiet number, no more.
function showBadge(count) {
  if (typeof count !== "number" || !("setAppBadge" in self.navigator)) return Promise.resolve();
  var done = count > 0 ? self.navigator.setAppBadge(count) : self.navigator.clearAppBadge();
  return Promise.resolve(done).catch(function () {});
}

self.addEventListener("push", function (event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  var waiting = data.answer ? data.answer.waiting : undefined;
  event.waitUntil(Promise.all([showFromPayload(data), showBadge(waiting)]));
});

function openPage(target) {
  return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (list) {
    // Focus a tab that already shows the page; otherwise open one (never navigate an open
    // tab away: it may hold a half-written form).
    for (var i = 0; i < list.length; i++) {
      if (list[i].url === target && "focus" in list[i]) return list[i].focus();
    }
    return self.clients.openWindow(target);
  });
}

// The token is the credential, good for this one answer: no cookie goes with it
// (credentials "omit"), so no session and no CSRF token are involved. The answer's result,
// or null when the token is spent or expired.
function postAnswer(answer, choice) {
  return fetch(answer.url, {
    method: "POST",
    credentials: "omit",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token: answer.token, answer: choice }),
  }).then(function (response) {
    return response.ok ? response.json() : null;
  });
}

// "I'm OK" is noted without opening anything (a quiet "thank you" takes the notification's
// place); "Not so good" is noted and opens the drop response, the person's own plan first.
// A tap on the notification itself answers nothing: it opens the follow-up in the app, where
// one more tap answers. A spent or expired token, or no network, opens the follow-up too.
function onNotificationClick(event) {
  var notification = event.notification;
  notification.close();
  var data = notification.data || {};
  var page = sameOriginUrl(data.url);
  var answer = data.answer;
  if (!answer || ANSWERS.indexOf(event.action) === -1) return openPage(page);
  return postAnswer(answer, event.action).then(
    function (result) {
      if (!result) return openPage(page);
      showBadge(result.waiting);
      if (result.open) return openPage(sameOriginUrl(result.open));
      return self.registration.showNotification(String(result.title || ""), {
        body: String(result.body || ""),
        data: { url: sameOriginUrl("/") },
        tag: "softlanding",
        silent: true,
      });
    },
    function () {
      return openPage(page);
    }
  );
}

self.addEventListener("notificationclick", function (event) {
  event.waitUntil(onNotificationClick(event));
});
