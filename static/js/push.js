// Notifications on this device (Web Push), on the channels settings page.
// Progressive enhancement: the controls stay hidden unless this browser can receive pushes.
// The subscription goes to our own API only; the server encrypts every message to it.
(function () {
  "use strict";

  var box = document.querySelector("[data-push]");
  if (!box) return;
  // Where a page says "this browser can't", and, for iPhones and iPads, how it could.
  var unavailable = document.querySelector("[data-push-unavailable]");
  var homeScreenHint = document.querySelector("[data-push-ios]");

  // Safari on an iPhone or iPad delivers push only to a web app added to the Home Screen
  // (iPadOS may call itself a Mac, but a Mac has no touch screen).
  var appleMobile = /iPad|iPhone|iPod/.test(navigator.userAgent) ||
    (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  var installed = navigator.standalone === true ||
    (window.matchMedia && window.matchMedia("(display-mode: standalone)").matches);
  if (appleMobile && !installed) {
    if (homeScreenHint) {
      homeScreenHint.hidden = false;
      if (unavailable) unavailable.hidden = true;
    }
    return; // a button here could never work: the page says how to get there instead
  }
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !window.isSecureContext) {
    return; // stays hidden: nothing here would work
  }

  var onButton = box.querySelector("[data-push-on]");
  var offButton = box.querySelector("[data-push-off]");
  var statusLine = box.querySelector("[data-push-status]");
  var text = box.dataset; // translated sentences come from the template's data-text-* attributes

  function say(message) {
    if (statusLine) statusLine.textContent = message || "";
  }

  // Buttons have a display rule of their own, which would win over the hidden attribute.
  function show(element, visible) {
    if (!element) return;
    element.hidden = !visible;
    element.style.display = visible ? "" : "none";
  }

  function busy(isBusy) {
    [onButton, offButton].forEach(function (button) {
      if (button) button.disabled = isBusy;
    });
  }

  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    base64 += "===".slice((base64.length + 3) % 4);
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  var serverKey = keyBytes(box.dataset.vapidKey || "");

  // A subscription made with another server key (the key was replaced) cannot be used.
  function sameKey(subscription) {
    var key = subscription.options && subscription.options.applicationServerKey;
    if (!key) return true; // not reported by this browser: assume it is ours
    var bytes = new Uint8Array(key);
    if (bytes.length !== serverKey.length) return false;
    for (var i = 0; i < bytes.length; i++) if (bytes[i] !== serverKey[i]) return false;
    return true;
  }

  // A short, harmless name the person recognises in their list of channels.
  function describeBrowser() {
    var data = navigator.userAgentData;
    var agent = navigator.userAgent || "";
    var browser = "";
    var platform = "";
    if (data && data.brands) {
      var names = data.brands.map(function (b) { return b.brand; }).filter(function (name) {
        return !/not.?a.?brand/i.test(name);
      });
      browser = names.filter(function (name) { return name !== "Chromium"; })[0] || names[0] || "";
      platform = data.platform || "";
    } else {
      if (/Firefox\//.test(agent)) browser = "Firefox";
      else if (/Edg\//.test(agent)) browser = "Edge";
      else if (/Chrome\//.test(agent)) browser = "Chrome";
      else if (/Safari\//.test(agent)) browser = "Safari";
      if (/Android/.test(agent)) platform = "Android";
      else if (/iPhone|iPad/.test(agent)) platform = "iOS";
      else if (/Mac OS X/.test(agent)) platform = "macOS";
      else if (/Windows/.test(agent)) platform = "Windows";
      else if (/Linux/.test(agent)) platform = "Linux";
    }
    browser = browser.replace(/^Google /, "").replace(/^Microsoft /, "");
    if (!browser) return text.textThisBrowser;
    if (!platform) return browser;
    return (text.textBrowserOn || "%(browser)s on %(platform)s")
      .replace("%(browser)s", browser)
      .replace("%(platform)s", platform)
      .slice(0, 60);
  }

  async function post(url, payload) {
    var response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": box.dataset.csrf || "",
      },
      body: JSON.stringify(payload),
    });
    if (!response.ok) {
      var detail = "";
      try {
        var body = await response.json();
        if (typeof body.detail === "string") detail = body.detail;
      } catch (error) {
        detail = "";
      }
      var failure = new Error(detail || text.textFailed);
      failure.fromServer = true;
      throw failure;
    }
  }

  async function currentSubscription(registration) {
    var subscription = await registration.pushManager.getSubscription();
    return subscription && sameKey(subscription) ? subscription : null;
  }

  function showState(subscribed) {
    show(onButton, !subscribed);
    show(offButton, subscribed);
    if (Notification.permission === "denied") {
      show(onButton, false);
      say(text.textBlocked);
    } else {
      say(subscribed ? text.textOn : text.textOff);
    }
  }

  async function turnOn(registration) {
    var old = await registration.pushManager.getSubscription();
    if (old && !sameKey(old)) await old.unsubscribe();
    var subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: serverKey,
    });
    try {
      await post(box.dataset.api, {
        kind: "push",
        target: JSON.stringify(subscription),
        label: describeBrowser(),
      });
    } catch (error) {
      await subscription.unsubscribe(); // the server does not have it: keep both sides alike
      throw error;
    }
  }

  async function turnOff(registration) {
    var subscription = await registration.pushManager.getSubscription();
    if (!subscription) return;
    var endpoint = subscription.endpoint;
    await subscription.unsubscribe();
    await post(box.dataset.forget, { endpoint: endpoint });
  }

  function handle(button, action, registration) {
    if (!button) return;
    button.addEventListener("click", async function () {
      busy(true);
      say(text.textWorking);
      try {
        await action(registration);
        window.location.reload();
      } catch (error) {
        busy(false);
        if (error && error.name === "NotAllowedError") {
          showState(false);
          say(text.textBlocked);
        } else {
          // Our server's reasons are written for people; a browser's are not.
          say(error && error.fromServer ? error.message : text.textFailed);
        }
      }
    });
  }

  async function start() {
    try {
      await navigator.serviceWorker.register(box.dataset.sw || "/sw.js", { scope: "/" });
      var registration = await navigator.serviceWorker.ready;
      var subscription = await currentSubscription(registration);
      handle(onButton, turnOn, registration);
      handle(offButton, turnOff, registration);
      box.hidden = false;
      if (unavailable) unavailable.hidden = true;
      showState(Boolean(subscription));
    } catch (error) {
      // Blocked by the browser or its settings (a private window, for one): stay hidden.
    }
  }

  start();
})();
