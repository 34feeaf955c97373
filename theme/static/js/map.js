/* Commune finder on /carte/: pick a commune (or let « Autour de moi » find it), the page says which
   AI(s) serve it and the map opens the commune's pop-up. The type-ahead and the index
   (trouver/communes.json and its parts) come from communes.js; the map and its territory are the ones the page
   registered (window.aaiMaps.carte, see plugins/map). Without JavaScript the form stays hidden. */
(function () {
  "use strict";
  var form = document.querySelector("form.map-finder");
  if (!form || !window.fetch || !window.aaiCommunes) return;
  var siteurl = form.getAttribute("data-siteurl") || "";
  var url = form.getAttribute("data-index");
  var input = form.querySelector("#map-q");
  var list = form.querySelector("#map-results");
  var status = form.querySelector(".map-status");
  var answer = document.querySelector(".map-answer");
  var associations = [];
  var combo = window.aaiCommunes.combobox({
    input: input, list: list, status: status, url: url, idPrefix: "map-opt-",
    label: function (c) { return c.name + " (" + c.postcodes + ")"; },
    pick: function (c, index) { associations = index.associations; pick(c); }
  });

  function fill(templateId, commune) {
    var node = document.getElementById(templateId).content.cloneNode(true);
    var link = node.querySelector("[data-slot=link]");
    link.href = siteurl + "/commune/" + commune.slug + "/";
    return node;
  }

  /* The commune's pop-up on the map, framed on its shape (at `latlng` when given: a position). */
  function showOnMap(c, latlng) {
    var registry = window.aaiMaps && window.aaiMaps.carte;
    if (!registry || !registry.territory) return;
    registry.territory.loaded.then(function (territory) {
      return territory.detail(c.insee).then(function () { return territory; });
    }).then(function (territory) {
      var layer = territory.layer(c.insee);
      if (!layer) return;
      registry.map.closePopup();
      registry.map.fitBounds(layer.getBounds(), { maxZoom: 11, animate: false, padding: [40, 40] });
      territory.open(c.insee, latlng);
    });
  }

  /* Show the answer as text (for everyone) and on the map. `located`: found by « Autour de moi ». */
  function pick(c, latlng, located) {
    input.value = located ? "" : c.name;
    combo.close();
    status.textContent = "";
    var registry = window.aaiMaps && window.aaiMaps.carte;
    var markers = c.ais.map(function (i) { return registry && registry.markers[associations[i][0]]; })
      .filter(Boolean);
    var node;
    if (!c.ais.length) {
      node = fill("map-answer-none", c);
      node.querySelector("[data-slot=commune]").textContent = window.aaiFrench.at(c.name);
    } else {
      node = fill("map-answer-some", c);
      node.querySelector("[data-slot=title]").textContent = c.ais.length > 1
        ? c.ais.length + " associations interviennent " + window.aaiFrench.at(c.name) + "\u00a0:"
        : "L'association qui intervient " + window.aaiFrench.at(c.name) + "\u00a0:";
      var ul = node.querySelector("[data-slot=list]");
      markers.forEach(function (marker) {
        var li = document.createElement("li");
        li.innerHTML = marker.getPopup().getContent();
        ul.appendChild(li);
      });
    }
    if (located) {
      var where = document.createElement("p");
      where.className = "map-located";
      where.textContent = "Votre position se trouve " + window.aaiFrench.at(c.name) + ".";
      node.firstElementChild.insertBefore(where, node.firstElementChild.firstChild);
    }
    answer.innerHTML = "";
    answer.appendChild(node);
    showOnMap(c, latlng);
  }

  document.addEventListener("aai:located", function (event) {
    var found = event.detail;
    window.aaiCommunes.entry(url).then(function (index) {
      associations = index.associations;
      pick(found.commune, L.latLng(found.latitude, found.longitude), true);
    });
  });

  form.hidden = false;
  form.addEventListener("submit", function (e) { e.preventDefault(); });

  /* « Autour de moi »: its script (around.js) comes on the button's first click, then answers that click. */
  var around = document.querySelector(".around-me");
  var source = document.querySelector("script[data-around]");
  if (!around || !source) return;
  if (!navigator.geolocation || !window.aaiShapes) { around.hidden = true; return; }
  var button = around.querySelector(".around-me-button");
  function fetchAround() {
    var script = document.createElement("script");
    script.src = source.getAttribute("data-around");
    script.onload = function () { button.click(); };
    script.onerror = function () {
      around.querySelector(".around-me-status").textContent = "La recherche de votre position n'a pas pu démarrer. "
        + "Réessayez, ou indiquez plutôt votre commune ou votre code postal.";
      script.remove();
      button.addEventListener("click", fetchAround, { once: true });
    };
    document.body.appendChild(script);
  }
  if (button.hasAttribute("data-clicked")) fetchAround();   // clicked before this script came (after-paint.js)
  else button.addEventListener("click", fetchAround, { once: true });
})();
