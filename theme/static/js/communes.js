/* The commune index and an accessible type-ahead (ARIA combobox), shared by the finder
   (finder.js), the map (map.js, shapes.js), the forms (forms.js) and the search page (search.js).
   The index comes in parts (plugins/directory/finder.py): a small entry, fetched on first use, then
   only the part a question needs — a département's communes, or the communes having a word that starts
   with the two letters typed — each fetched once. */
(function () {
  "use strict";

  /* Accent folding and « à / au / aux »: the rulebook's twins (french.js, loaded first by base.html). */
  var fold = window.aaiFrench.fold, at = window.aaiFrench.at;

  /* "st emilion" → "saint emilion", "ste foy" → "sainte foy": the abbreviations people type. */
  function expand(q) {
    return q.replace(/(^| )st(?= |$)/g, "$1saint").replace(/(^| )ste(?= |$)/g, "$1sainte");
  }

  var LIMIT = 12;
  var fetched = {};
  function getJSON(url) {
    if (!fetched[url]) {
      fetched[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error("index " + r.status);
        return r.json();
      });
    }
    return fetched[url];
  }

  /* The entry: départements (code, name, file of their communes), associations, the départements of each
     two-digit postcode prefix, the file of each two-letter name key. */
  var entries = {};
  function entry(url) {
    if (!entries[url]) {
      entries[url] = getJSON(url).then(function (data) {
        data.url = url;
        data.order = {};
        data.departements.forEach(function (d, i) { data.order[d[0]] = i; });
        data.parts = {};
        return data;
      });
    }
    return entries[url];
  }

  function commune(row) {
    var former = row[4] ? row[4].split("|") : [];
    return { insee: row[0], name: row[1], dep: row[2], postcodes: row[3], former: former,
             slug: row[5], ais: row[6], population: row[7] || 0, key: fold(row[1]), formerKeys: former.map(fold) };
  }

  /* The communes of one part of the index (a file the entry names), each commune made once. */
  var made = {};
  function part(data, file) {
    var url = new URL(file, new URL(data.url, window.location.href)).href;
    if (!data.parts[url]) {
      data.parts[url] = getJSON(url).then(function (rows) {
        return rows.map(function (row) { return made[row[0]] || (made[row[0]] = commune(row)); });
      });
    }
    return data.parts[url];
  }

  /* The communes of a département, A–Z. */
  function departement(url, code) {
    return entry(url).then(function (data) {
      var d = data.departements[data.order[code]];
      return d ? part(data, d[2]) : [];
    });
  }

  /* A commune by its INSEE code (its département is the longest code that starts it), or null. */
  function byInsee(url, insee) {
    return entry(url).then(function (data) {
      var code = null;
      data.departements.forEach(function (d) {
        if (insee.indexOf(d[0]) === 0 && (!code || d[0].length > code.length)) code = d[0];
      });
      if (!code) return null;
      return departement(url, code).then(function (list) {
        for (var i = 0; i < list.length; i++) if (list[i].insee === insee) return list[i];
        return null;
      });
    });
  }

  /* The name keys a query may match: the first two letters of its first word; a lone letter followed by
     more words is a one-letter word ("l isle"); a lone letter alone, every key it starts. */
  function nameKeys(data, q) {
    var words = q.split(" "), first = words[0];
    if (first.length >= 2) return [first.slice(0, 2)];
    if (words.length > 1) return [first];
    return Object.keys(data.names).filter(function (key) { return key.charAt(0) === first; });
  }

  /* Every commune `search` could return for this query, in the order of the pages (département, name). */
  function candidates(url, query) {
    return entry(url).then(function (data) {
      var q = fold(query), digits = postcode(query);
      if (!q) return [];
      var files = [];
      if (digits) {
        var seen = {};
        Object.keys(data.postcodes).forEach(function (prefix) {
          if (prefix.indexOf(digits.slice(0, 2)) !== 0) return;
          data.postcodes[prefix].forEach(function (code) {
            if (!seen[code]) { seen[code] = true; files.push(data.departements[data.order[code]][2]); }
          });
        });
      } else {
        var keys = {};
        [q, expand(q)].forEach(function (x) { nameKeys(data, x).forEach(function (k) { keys[k] = true; }); });
        files = Object.keys(keys).filter(function (k) { return data.names[k]; })
          .map(function (k) { return data.names[k]; });
      }
      return Promise.all(files.map(function (file) { return part(data, file); })).then(function (lists) {
        if (lists.length === 1) return lists[0];
        var byCode = {};
        lists.forEach(function (list) { list.forEach(function (c) { byCode[c.insee] = c; }); });
        return Object.keys(byCode).map(function (k) { return byCode[k]; }).sort(function (a, b) {
          return (data.order[a.dep] - data.order[b.dep]) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
            || (a.insee < b.insee ? -1 : 1);
        });
      });
    });
  }

  /* The digits of a postcode (« 33 330 » too), or null when the query is a name. */
  function postcode(query) {
    var digits = fold(query).replace(/ /g, "");
    return /^\d{2,5}$/.test(digits) ? digits : null;
  }

  /* How a folded name `key` matches the folded query `q`: 0 exactly, 1 it starts with it, 2 one of its words
     does, 3 it contains it; -1 not at all. */
  function nameRank(q, key) {
    if (key === q) return 0;
    if (key.indexOf(q) === 0) return 1;
    if (key.indexOf(" " + q) !== -1) return 2;
    return key.indexOf(q) !== -1 ? 3 : -1;
  }
  var FORMER = 4;  // a former commune's name (communes déléguées): after every current name

  function compare(a, b) {
    for (var i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return a.rank[i] - b.rank[i];
    return (a.c.key < b.c.key ? -1 : a.c.key > b.c.key ? 1 : 0) || (a.c.insee < b.c.insee ? -1 : 1);
  }

  /* The site's one ranking, twin of rules/commune_search.py (both held to tests/rules/commune_search_cases.json),
     so « Pau » opens Pau, not Paulin. Digits are a postcode, never an INSEE code (33330 is Saint-Émilion's
     postcode and Pompignac's INSEE code): the communes having a postcode that starts with them, those with
     exactly that postcode first, the most populous first (the town a postcode is named after). Words are a name,
     accents, case and hyphens folded, "st"/"ste" read as "saint"/"sainte": the exact name first, then the names
     starting with the query, then those with a word starting with it, then those containing it (here, among the
     communes of the index part the query needs: the Python twin sees a few more of these last ones); then former
     communes whose name starts with it. A–Z within each group. At most LIMIT results; `truncated` on the list
     says there were more. */
  function search(communes, query) {
    var q = fold(query), digits = postcode(query);
    if (!q) return [];
    var queries = expand(q) === q ? [q] : [q, expand(q)];
    var ranked = [];
    communes.forEach(function (c) {
      if (digits) {
        var codes = c.postcodes.split(" ");
        if (codes.some(function (p) { return p.indexOf(digits) === 0; })) {
          ranked.push({ c: c, rank: [codes.indexOf(digits) === -1 ? 1 : 0, -c.population] });
        }
        return;
      }
      var best = -1;
      queries.forEach(function (x) {
        var r = nameRank(x, c.key);
        if (r >= 0 && (best < 0 || r < best)) best = r;
      });
      if (best >= 0) { ranked.push({ c: c, rank: [best] }); return; }
      for (var i = 0; i < c.formerKeys.length; i++) {
        var key = c.formerKeys[i];
        if (queries.some(function (x) { return key.indexOf(x) === 0; })) {
          ranked.push({ c: c, via: c.former[i], rank: [FORMER] });
          break;
        }
      }
    });
    ranked.sort(compare);
    var results = ranked.slice(0, LIMIT).map(function (r) { return r.via ? { c: r.c, via: r.via } : { c: r.c }; });
    results.truncated = ranked.length > LIMIT;
    results.postcode = !!digits;
    return results;
  }

  /* The communes matching a query, from the parts of the index it needs. */
  function find(url, query) {
    return candidates(url, query).then(function (list) { return search(list, query); });
  }

  /* Wires an input, its listbox and a status line. o = {input, list, status, url, idPrefix,
     label(commune, entry) → text, pick(commune, entry), and optionally none(typed) → the node the status shows
     when nothing matches}. */
  function combobox(o) {
    var index = null, shown = [], active = -1, asked = 0;
    function ready() { return entry(o.url).then(function (data) { index = data; return data; }); }
    /* Shows the matches of what the input holds now; an answer to an older question is dropped. */
    function update() {
      var ticket = ++asked, value = o.input.value;
      return ready().then(function () { return find(o.url, value); }).then(function (results) {
        if (ticket === asked) render(results);
      });
    }

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
      var typed = o.input.value.trim();
      if (!closing && typed && !results.length && o.none) {
        o.status.textContent = "";
        o.status.appendChild(o.none(typed));
        return;
      }
      o.status.textContent = closing || !typed ? "" : results.truncated
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
    o.input.addEventListener("input", update);
    o.input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (o.list.hidden && index) update().then(function () { highlight(active + 1); });
        else highlight(active + 1);
      }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active - 1); }
      else if (e.key === "Enter" && shown.length) {
        e.preventDefault();
        if (ambiguous()) askToChoose(); else choose(shown[active >= 0 ? active : 0].c);
      }
      else if (e.key === "Escape") { asked++; render([], true); }
    });
    o.input.addEventListener("blur", function () {
      setTimeout(function () { o.list.hidden = true; o.input.setAttribute("aria-expanded", "false"); }, 150);
    });
    return {
      ready: ready,
      close: function () { asked++; render([], true); },
      first: function () {
        if (ambiguous()) { askToChoose(); return null; }
        return shown.length ? shown[active >= 0 ? active : 0].c : null;
      }
    };
  }

  window.aaiCommunes = { fold: fold, expand: expand, at: at, entry: entry, departement: departement,
                         commune: byInsee, candidates: candidates, search: search, find: find,
                         combobox: combobox };
})();
