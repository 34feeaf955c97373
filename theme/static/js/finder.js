/* Commune finder: dependent menus (département → commune) and an accessible type-ahead.
   Without JavaScript the form stays hidden and the département links do the job. */
(function () {
  "use strict";
  var form = document.querySelector("form.finder");
  if (!form || !window.fetch) return;
  var siteurl = form.getAttribute("data-siteurl") || "";
  var input = form.querySelector("#finder-q");
  var list = form.querySelector("#finder-results");
  var status = form.querySelector(".finder-status");
  var depSelect = form.querySelector("#finder-dep");
  var communeSelect = form.querySelector("#finder-commune");
  var index = null, communes = [], active = -1, shown = [];

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/[^a-z0-9]+/g, " ").trim();
  }
  function urlOf(c) { return siteurl + "/commune/" + c.slug + "/"; }
  function go(c) { window.location.href = urlOf(c); }

  form.hidden = false;
  var loading = null;
  /* The index (about 40 KB compressed) is fetched on first use, not with the page. */
  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (data) {
        index = data;
        communes = data.communes.map(function (row) {
          var former = row[4] ? row[4].split("|") : [];
          return { insee: row[0], name: row[1], dep: row[2], postcodes: row[3], former: former,
                   slug: row[5], ais: row[6], key: fold(row[1]), formerKeys: former.map(fold) };
        });
      });
    }
    return loading;
  }
  input.addEventListener("focus", load);
  depSelect.addEventListener("focus", load);

  function fillCommunes(dep) {
    communeSelect.length = 0;
    var first = new Option("— Choisir une commune —", "");
    communeSelect.add(first);
    communes.forEach(function (c) {
      if (c.dep === dep) communeSelect.add(new Option(c.name + " (" + c.postcodes + ")", c.insee));
    });
    communeSelect.disabled = !dep;
  }
  depSelect.addEventListener("change", function () { load().then(function () { fillCommunes(depSelect.value); }); });
  communeSelect.addEventListener("change", function () {
    var c = byInsee(communeSelect.value);
    if (c) go(c);
  });
  function byInsee(code) {
    for (var i = 0; i < communes.length; i++) if (communes[i].insee === code) return communes[i];
    return null;
  }

  function search(query) {
    var q = fold(query);
    if (!q) return [];
    var starts = [], contains = [], former = [];
    var digits = /^\d+$/.test(q.replace(/ /g, ""));
    communes.forEach(function (c) {
      if (digits) {
        if (c.postcodes.indexOf(q.replace(/ /g, "")) !== -1 || c.postcodes.split(" ").some(function (p) { return p.indexOf(q) === 0; })) starts.push({ c: c });
        return;
      }
      if (c.key.indexOf(q) === 0) starts.push({ c: c });
      else if (c.key.indexOf(" " + q) !== -1) contains.push({ c: c });
      else {
        for (var i = 0; i < c.formerKeys.length; i++) {
          if (c.formerKeys[i].indexOf(q) === 0) { former.push({ c: c, via: c.former[i] }); break; }
        }
      }
    });
    return starts.concat(contains, former).slice(0, 12);
  }

  function depName(code) {
    for (var i = 0; i < index.departements.length; i++) if (index.departements[i][0] === code) return index.departements[i][1];
    return code;
  }

  function render(results) {
    list.innerHTML = "";
    shown = results;
    active = -1;
    results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.id = "finder-opt-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var label = r.c.name + " (" + r.c.postcodes + ") — " + depName(r.c.dep);
      if (r.via) label = r.via + ", aujourd'hui " + label;
      li.textContent = label;
      li.addEventListener("mousedown", function (e) { e.preventDefault(); go(r.c); });
      list.appendChild(li);
    });
    var open = results.length > 0;
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
    if (input.value.trim()) {
      status.textContent = results.length ? results.length + (results.length > 1 ? " communes trouvées." : " commune trouvée.")
        : "Aucune commune ne correspond. Vérifiez l'orthographe ou essayez le code postal.";
    } else status.textContent = "";
  }

  function highlight(i) {
    var options = list.querySelectorAll("[role=option]");
    if (!options.length) return;
    active = (i + options.length) % options.length;
    options.forEach(function (o, k) { o.setAttribute("aria-selected", k === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  input.addEventListener("input", function () { load().then(function () { render(search(input.value)); }); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); if (list.hidden && index) render(search(input.value)); highlight(active + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active - 1); }
    else if (e.key === "Enter") {
      if (shown.length) { e.preventDefault(); go(shown[active >= 0 ? active : 0].c); }
    } else if (e.key === "Escape") { render([]); }
  });
  input.addEventListener("blur", function () { setTimeout(function () { list.hidden = true; input.setAttribute("aria-expanded", "false"); }, 150); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var c = byInsee(communeSelect.value);
    if (c) { go(c); return; }
    if (shown.length) go(shown[active >= 0 ? active : 0].c);
  });
})();
