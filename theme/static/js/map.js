/* Commune finder on /carte/: pick a commune, the map shows the AI(s) serving it.
   The type-ahead and the index (trouver/communes.json) come from communes.js; the map is the one
   the page registered (window.aaiMaps.carte, see plugins/map). Without JavaScript the form stays hidden. */
(function () {
  "use strict";
  var form = document.querySelector("form.map-finder");
  if (!form || !window.fetch || !window.aaiCommunes) return;
  var siteurl = form.getAttribute("data-siteurl") || "";
  var input = form.querySelector("#map-q");
  var list = form.querySelector("#map-results");
  var status = form.querySelector(".map-status");
  var answer = document.querySelector(".map-answer");
  var associations = [];
  var combo = window.aaiCommunes.combobox({
    input: input, list: list, status: status, url: form.getAttribute("data-index"), idPrefix: "map-opt-",
    label: function (c) { return c.name + " (" + c.postcodes + ")"; },
    pick: function (c, index) { associations = index.associations; pick(c); }
  });

  function fill(templateId, commune) {
    var node = document.getElementById(templateId).content.cloneNode(true);
    var link = node.querySelector("[data-slot=link]");
    link.href = siteurl + "/commune/" + commune.slug + "/";
    return node;
  }

  /* Show the answer as text (for everyone) and on the map: one AI → its pop-up; several → all in view. */
  function pick(c) {
    input.value = c.name;
    combo.close();
    status.textContent = "";
    var registry = window.aaiMaps && window.aaiMaps.carte;
    var markers = c.ais.map(function (i) { return registry && registry.markers[associations[i][0]]; })
      .filter(Boolean);
    var node;
    if (!c.ais.length) {
      node = fill("map-answer-none", c);
      node.querySelector("[data-slot=commune]").textContent = window.aaiCommunes.at(c.name);
    } else {
      node = fill("map-answer-some", c);
      node.querySelector("[data-slot=title]").textContent = c.ais.length > 1
        ? c.ais.length + " associations interviennent " + window.aaiCommunes.at(c.name) + "\u00a0:"
        : "L'association qui intervient " + window.aaiCommunes.at(c.name) + "\u00a0:";
      var ul = node.querySelector("[data-slot=list]");
      markers.forEach(function (marker) {
        var li = document.createElement("li");
        li.innerHTML = marker.getPopup().getContent();
        ul.appendChild(li);
      });
    }
    answer.innerHTML = "";
    answer.appendChild(node);
    if (!registry || !markers.length) return;
    if (markers.length === 1) {
      registry.cluster.zoomToShowLayer(markers[0], function () { markers[0].openPopup(); });
    } else {
      registry.map.closePopup();
      registry.map.flyToBounds(L.latLngBounds(markers.map(function (m) { return m.getLatLng(); })),
                               { padding: [60, 60], maxZoom: 11 });
    }
  }

  form.hidden = false;
  form.addEventListener("submit", function (e) { e.preventDefault(); });
})();
