/* The commune index and an accessible type-ahead (ARIA combobox), shared by the finder
   (finder.js) and the map (map.js). The index is fetched once, on first use. */
(function () {
  "use strict";

  /* Accent folding and « à / au / aux »: the rulebook's twins (french.js, loaded first by base.html). */
  var fold = window.aaiFrench.fold, at = window.aaiFrench.at;

  /* "st emilion" → "saint emilion", "ste foy" → "sainte foy": the abbreviations people type. */
  function expand(q) {
    return q.replace(/(^| )st(?= |$)/g, "$1saint").replace(/(^| )ste(?= |$)/g, "$1sainte");
  }

  var LIMIT = 12;
  var cache = {};
  function load(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) { return r.json(); }).then(function (data) {
        data.list = data.communes.map(function (row) {
          var former = row[4] ? row[4].split("|") : [];
          return { insee: row[0], name: row[1], dep: row[2], postcodes: row[3], former: former,
                   slug: row[5], ais: row[6], key: fold(row[1]), formerKeys: former.map(fold) };
        });
        return data;
      });
    }
    return cache[url];
  }

  /* Names starting with the query first, then names containing a word starting with it, then
     former communes; digits look up postal codes only (an INSEE code is not a postal code: 33330
     is Saint-Émilion's postal code and Pompignac's INSEE code). At most LIMIT results; `truncated`
     on the list says there were more. "st"/"ste" also match "saint"/"sainte". */
  function search(communes, query) {
    var q = fold(query), digits = q.replace(/ /g, "");
    if (!q) return [];
    var queries = expand(q) === q ? [q] : [q, expand(q)];
    function some(test) { return queries.some(test); }
    var starts = [], contains = [], former = [];
    communes.forEach(function (c) {
      if (/^\d+$/.test(digits)) {
        if (c.postcodes.split(" ").some(function (p) { return p.indexOf(digits) === 0; })) starts.push({ c: c });
      } else if (some(function (x) { return c.key.indexOf(x) === 0; })) starts.push({ c: c });
      else if (some(function (x) { return c.key.indexOf(" " + x) !== -1; })) contains.push({ c: c });
      else {
        for (var i = 0; i < c.formerKeys.length; i++) {
          var key = c.formerKeys[i];
          if (some(function (x) { return key.indexOf(x) === 0; })) { former.push({ c: c, via: c.former[i] }); break; }
        }
      }
    });
    var all = starts.concat(contains, former);
    var results = all.slice(0, LIMIT);
    results.truncated = all.length > LIMIT;
    results.postcode = /^\d+$/.test(digits);
    return results;
  }

  /* Wires an input, its listbox and a status line. o = {input, list, status, url, idPrefix,
     label(result, index) → text, pick(commune, index)}. */
  function combobox(o) {
    var index = null, shown = [], active = -1;
    function ready() { return load(o.url).then(function (data) { index = data; return data; }); }

    /* Show `results`; `closing` (Escape, a choice) empties the list without announcing anything. */
    function render(results, closing) {
      o.list.innerHTML = "";
      shown = results;
      active = -1;
      results.forEach(function (r, i) {
        var li = document.createElement("li");
        li.id = o.idPrefix + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = (r.via ? r.via + ", aujourd'hui " : "") + o.label(r.c, index);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(r.c); });
        o.list.appendChild(li);
      });
      o.list.hidden = !results.length;
      o.input.setAttribute("aria-expanded", results.length ? "true" : "false");
      o.input.removeAttribute("aria-activedescendant");
      o.status.textContent = closing || !o.input.value.trim() ? "" : results.truncated
        ? "Plus de " + LIMIT + " communes\u00a0: précisez votre recherche."
        : results.length
        ? results.length + (results.length > 1 ? " communes trouvées." : " commune trouvée.")
        : "Aucune commune ne correspond. Vérifiez l'orthographe ou essayez le code postal.";
    }

    function highlight(i) {
      var options = o.list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (i + options.length) % options.length;
      options.forEach(function (opt, k) { opt.setAttribute("aria-selected", k === active ? "true" : "false"); });
      o.input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function choose(c) { o.pick(c, index); }

    /* Several communes share a postal code: Enter does not guess which one is the visitor's. */
    function ambiguous() { return active < 0 && shown.postcode && shown.length > 1; }
    function askToChoose() {
      o.status.textContent = (shown.truncated ? "Plus de " + LIMIT : shown.length)
        + " communes ont ce code postal\u00a0: choisissez la vôtre dans la liste proposée.";
    }

    o.input.addEventListener("focus", ready);
    o.input.addEventListener("input", function () { ready().then(function () { render(search(index.list, o.input.value)); }); });
    o.input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); if (o.list.hidden && index) render(search(index.list, o.input.value)); highlight(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active - 1); }
      else if (e.key === "Enter" && shown.length) {
        e.preventDefault();
        if (ambiguous()) askToChoose(); else choose(shown[active >= 0 ? active : 0].c);
      }
      else if (e.key === "Escape") render([], true);
    });
    o.input.addEventListener("blur", function () {
      setTimeout(function () { o.list.hidden = true; o.input.setAttribute("aria-expanded", "false"); }, 150);
    });
    return {
      ready: ready,
      close: function () { render([], true); },
      first: function () {
        if (ambiguous()) { askToChoose(); return null; }
        return shown.length ? shown[active >= 0 ? active : 0].c : null;
      }
    };
  }

  window.aaiCommunes = { fold: fold, expand: expand, at: at, load: load, search: search, combobox: combobox };
})();
