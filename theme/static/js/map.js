/* Commune finder on /carte/: pick a commune, the map shows the AI(s) serving it.
   Reads the directory's index (trouver/communes.json) and the map registered by the page
   (window.aaiMaps.carte, see plugins/map). Without JavaScript the form stays hidden. */
(function () {
  "use strict";
  var form = document.querySelector("form.map-finder");
  if (!form || !window.fetch) return;
  var siteurl = form.getAttribute("data-siteurl") || "";
  var input = form.querySelector("#map-q");
  var list = form.querySelector("#map-results");
  var status = form.querySelector(".map-status");
  var answer = document.querySelector(".map-answer");
  var communes = null, associations = [], loading = null, shown = [], active = -1;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/[^a-z0-9]+/g, " ").trim();
  }

  /* The index weighs more than the map script: fetch it when the visitor starts typing. */
  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (data) {
        associations = data.associations;
        communes = data.communes.map(function (row) {
          var former = row[4] ? row[4].split("|") : [];
          return { insee: row[0], name: row[1], dep: row[2], postcodes: row[3], former: former,
                   slug: row[5], ais: row[6], key: fold(row[1]), formerKeys: former.map(fold) };
        });
      });
    }
    return loading;
  }

  function search(query) {
    var q = fold(query), digits = q.replace(/ /g, "");
    if (!q) return [];
    var starts = [], contains = [], former = [];
    communes.forEach(function (c) {
      if (/^\d+$/.test(digits)) {
        if (c.insee === digits || c.postcodes.split(" ").some(function (p) { return p.indexOf(digits) === 0; })) starts.push({ c: c });
      } else if (c.key.indexOf(q) === 0) starts.push({ c: c });
      else if (c.key.indexOf(" " + q) !== -1) contains.push({ c: c });
      else {
        for (var i = 0; i < c.formerKeys.length; i++) {
          if (c.formerKeys[i].indexOf(q) === 0) { former.push({ c: c, via: c.former[i] }); break; }
        }
      }
    });
    return starts.concat(contains, former).slice(0, 12);
  }

  function render(results) {
    list.innerHTML = "";
    shown = results;
    active = -1;
    results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.id = "map-opt-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = (r.via ? r.via + ", aujourd'hui " : "") + r.c.name + " (" + r.c.postcodes + ")";
      li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(r.c); });
      list.appendChild(li);
    });
    list.hidden = !results.length;
    input.setAttribute("aria-expanded", results.length ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
    status.textContent = !input.value.trim() ? "" : results.length
      ? results.length + (results.length > 1 ? " communes trouvées." : " commune trouvée.")
      : "Aucune commune ne correspond. Vérifiez l'orthographe ou essayez le code postal.";
  }

  function highlight(i) {
    var options = list.querySelectorAll("[role=option]");
    if (!options.length) return;
    active = (i + options.length) % options.length;
    options.forEach(function (o, k) { o.setAttribute("aria-selected", k === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  function fill(templateId, commune) {
    var node = document.getElementById(templateId).content.cloneNode(true);
    var link = node.querySelector("[data-slot=link]");
    link.href = siteurl + "/commune/" + commune.slug + "/";
    link.textContent = "Voir la page de " + commune.name;
    return node;
  }

  /* Show the answer as text (for everyone) and on the map: one AI → its pop-up; several → all in view. */
  function pick(c) {
    input.value = c.name;
    render([]);
    status.textContent = "";
    var registry = window.aaiMaps && window.aaiMaps.carte;
    var markers = c.ais.map(function (i) { return registry && registry.markers[associations[i][0]]; })
      .filter(Boolean);
    var node;
    if (!c.ais.length) {
      node = fill("map-answer-none", c);
      node.querySelector("[data-slot=commune]").textContent = c.name;
    } else {
      node = fill("map-answer-some", c);
      node.querySelector("[data-slot=title]").textContent = c.ais.length > 1
        ? c.ais.length + " associations interviennent à " + c.name + "\u00a0:"
        : "L'association qui intervient à " + c.name + "\u00a0:";
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
  input.addEventListener("focus", load);
  input.addEventListener("input", function () { load().then(function () { render(search(input.value)); }); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); if (list.hidden && communes) render(search(input.value)); highlight(active + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active - 1); }
    else if (e.key === "Enter") { e.preventDefault(); if (shown.length) pick(shown[active >= 0 ? active : 0].c); }
    else if (e.key === "Escape") render([]);
  });
  input.addEventListener("blur", function () { setTimeout(function () { list.hidden = true; input.setAttribute("aria-expanded", "false"); }, 150); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
})();
