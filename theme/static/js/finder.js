/* Commune finder: dependent menus (département → commune) and the type-ahead (communes.js).
   Without JavaScript the form stays hidden and the département links do the job. Choosing in a
   menu never leaves the page by itself (WCAG 3.2.2): the « Voir les associations » button does. */
(function () {
  "use strict";
  var form = document.querySelector("form.finder");
  if (!form || !window.fetch || !window.aaiCommunes) return;
  var siteurl = form.getAttribute("data-siteurl") || "";
  var url = form.getAttribute("data-index");
  var depSelect = form.querySelector("#finder-dep");
  var communeSelect = form.querySelector("#finder-commune");
  var communes = [];

  function go(c) { window.location.href = siteurl + "/commune/" + c.slug + "/"; }
  function depName(index, code) {
    for (var i = 0; i < index.departements.length; i++) if (index.departements[i][0] === code) return index.departements[i][1];
    return code;
  }

  form.hidden = false;
  // Where the finder works, the département links under it are one way too many (home page).
  Array.prototype.forEach.call(document.querySelectorAll(".finder-nojs[data-hide-with-js]"),
                               function (nav) { nav.hidden = true; });
  var combo = window.aaiCommunes.combobox({
    input: form.querySelector("#finder-q"), list: form.querySelector("#finder-results"),
    status: form.querySelector(".finder-status"), url: url, idPrefix: "finder-opt-",
    label: function (c, index) { return c.name + " (" + c.postcodes + ") — " + depName(index, c.dep); },
    pick: go
  });
  function ready() { return combo.ready().then(function (index) { communes = index.list; return index; }); }

  function fillCommunes(dep) {
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

  depSelect.addEventListener("focus", ready);
  depSelect.addEventListener("change", function () { ready().then(function () { fillCommunes(depSelect.value); }); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var c = byInsee(communeSelect.value) || combo.first();
    if (c) go(c);
  });
})();
