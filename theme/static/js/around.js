/* « Autour de moi » (home page and /carte/, template _around_me.html): the browser's position, then
   the commune containing it, found here with the communes' shapes (shapes.js). The position never
   leaves the device: every département's file is read, whatever the position.
   On /carte/ the map shows the commune (event "aai:located", map.js); elsewhere a link leads to its page.
   Refused, unavailable or outside the five départements: a French message and the finder. */
(function () {
  "use strict";
  var box = document.querySelector(".around-me");
  if (!box) return;
  /* Shown from the first paint when JavaScript runs (class needs-js): hidden only where it cannot work. */
  if (!window.fetch || !window.Promise || !window.aaiShapes || !navigator.geolocation) { box.hidden = true; return; }
  var button = box.querySelector(".around-me-button");
  var status = box.querySelector(".around-me-status");
  var result = box.querySelector(".around-me-result");
  var files = JSON.parse(box.getAttribute("data-files"));
  var index = box.getAttribute("data-index");
  var siteurl = box.getAttribute("data-siteurl") || "";
  var OUTSIDE = "Votre position semble hors de la Dordogne, de la Gironde, des Landes, du Lot-et-Garonne et "
    + "des Pyrénées-Atlantiques. Indiquez plutôt votre commune ou votre code postal.";
  var REFUSED = "La localisation n'est pas autorisée sur ce site. Indiquez plutôt votre commune ou votre code postal.";
  var UNKNOWN = "Votre position n'a pas pu être déterminée. Indiquez plutôt votre commune ou votre code postal.";

  function inside(latitude, longitude) {
    return files.some(function (f) {
      var b = f[2];
      return latitude >= b[0] && latitude <= b[2] && longitude >= b[1] && longitude <= b[3];
    });
  }

  /* The message, then the finder: the way that always works. */
  var busy = false;  // a second click while looking is ignored (the button keeps the focus)

  function fail(message) {
    busy = false;
    status.textContent = message;
    var finder = document.getElementById(box.getAttribute("data-finder"));
    if (finder && !finder.closest("[hidden]")) finder.focus();
  }

  function show(found) {
    busy = false;
    status.textContent = "";
    if (document.querySelector("form.map-finder")) {
      document.dispatchEvent(new CustomEvent("aai:located", { detail: found }));
      return;
    }
    result.textContent = "Votre position se trouve " + window.aaiFrench.at(found.commune.name) + ". ";
    var link = document.createElement("a");
    link.href = siteurl + "/commune/" + found.commune.slug + "/";
    link.textContent = "Voir qui intervient " + window.aaiFrench.at(found.commune.name);
    result.appendChild(link);
    result.hidden = false;
    result.focus();
  }

  button.addEventListener("click", function () {
    if (busy) return;
    busy = true;
    result.hidden = true;
    status.textContent = "Recherche de votre position…";
    window.aaiShapes.geolocate().then(function (position) {
      var latitude = position.coords.latitude, longitude = position.coords.longitude;
      if (!inside(latitude, longitude)) return null;
      var urls = files.map(function (f) { return f[1]; });
      return window.aaiShapes.find(latitude, longitude, urls).then(function (insee) {
        return insee && window.aaiShapes.commune(index, insee);
      }).then(function (commune) {
        return commune && { commune: commune, latitude: latitude, longitude: longitude };
      });
    }).then(function (found) {
      if (found) show(found); else fail(OUTSIDE);
    }, function (error) {
      fail(error && error.code === 1 ? REFUSED : UNKNOWN);
    });
  });
})();
