// The browser's time zone, as a hint: sign-up saves it, and a signed-in page offers to switch
// when the device's zone is neither the saved one nor one the person chose to keep. Nothing
// changes without a tap; without this file sign-up keeps the default and no offer is made.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) return;
  document.querySelectorAll("input[data-browser-time-zone]").forEach(function (input) {
    input.value = zone;
  });
  var offer = document.querySelector("[data-time-zone-offer]");
  if (!offer) return;
  if (zone === offer.getAttribute("data-saved") || zone === offer.getAttribute("data-declined")) return;
  offer.querySelectorAll("[data-device-zone]").forEach(function (place) {
    place.textContent = zone.replace(/_/g, " ");
  });
  offer.hidden = false;
})();
