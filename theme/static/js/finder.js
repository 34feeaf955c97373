/* Commune finder: the type-ahead (communes.js), an optional service and, on « Trouver mon
   association », dependent menus (département → commune). Without JavaScript nojs.css hides the
   form and the département links do the job. Choosing in a menu never leaves the page by itself
   (WCAG 3.2.2): the button does. With a service chosen (or ?service= in the address, from the
   services page), the commune page opens on that service's answer (#service-<id>). */
(function () {
  "use strict";
  var form = document.querySelector("form.finder");
  if (!form || !window.fetch || !window.aaiCommunes) return;
  var siteurl = form.getAttribute("data-siteurl") || "";
  var url = form.getAttribute("data-index");
  var depSelect = form.querySelector("#finder-dep");
  var communeSelect = form.querySelector("#finder-commune");
  var serviceSelect = form.querySelector("#finder-service");
  var communes = [];  // the chosen département's, for its menu

  var wanted = new URLSearchParams(window.location.search).get("service");
  if (wanted && serviceSelect.querySelector("option[value='" + wanted.replace(/[^a-z0-9-]/g, "") + "']")) {
    serviceSelect.value = wanted;
  }

  function go(c) {
    var service = serviceSelect.value;
    window.location.href = siteurl + "/commune/" + c.slug + "/" + (service ? "#service-" + service : "");
  }
  function depName(index, code) {
    for (var i = 0; i < index.departements.length; i++) if (index.departements[i][0] === code) return index.departements[i][1];
    return code;
  }

  /* Nothing matches what was typed: say so, and give the regional line (_finder.html, from the site's data). */
  function none(typed) {
    var node = document.getElementById("finder-none").content.cloneNode(true);
    node.querySelector("[data-slot=typed]").textContent = typed;
    return node;
  }

  var combo = window.aaiCommunes.combobox({
    input: form.querySelector("#finder-q"), list: form.querySelector("#finder-results"),
    status: form.querySelector(".finder-status"), url: url, idPrefix: "finder-opt-",
    label: function (c, index) { return c.name + " (" + c.postcodes + ") — " + depName(index, c.dep); },
    pick: go, none: none
  });

  function fillCommunes(dep, list) {
    communes = list;
    communeSelect.length = 0;
    communeSelect.add(new Option("— Choisir une commune —", ""));
    communes.forEach(function (c) {
      if (c.dep === dep) communeSelect.add(new Option(c.name + " (" + c.postcodes + ")", c.insee));
    });
    communeSelect.disabled = !dep;
  }
  function byInsee(code) {
    for (var i = 0; i < communes.length; i++) if (communes[i].insee === code) return communes[i];
    return null;
  }

  if (depSelect) {
    depSelect.addEventListener("focus", combo.ready);
    depSelect.addEventListener("change", function () {
      var dep = depSelect.value;
      (dep ? window.aaiCommunes.departement(url, dep) : Promise.resolve([])).then(function (list) {
        if (depSelect.value === dep) fillCommunes(dep, list);
      });
    });
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var c = (communeSelect && byInsee(communeSelect.value)) || combo.first();
    if (c) go(c);
    else askOrGo(form.querySelector("#finder-q"));   // typed, then the button before the list showed up
  });

  function askOrGo(input) {
    var typed = input.value.trim();
    var found = typed ? window.aaiCommunes.find(url, typed) : Promise.resolve([]);
    found.then(function (results) {
      if (results.length) { go(results[0].c); return; }
      var status = form.querySelector(".finder-status");
      status.textContent = typed ? "" : "Indiquez d'abord votre commune ou votre code postal.";
      if (typed) status.appendChild(none(typed));
      input.focus();
    });
  }
})();
