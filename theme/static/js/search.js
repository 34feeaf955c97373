/* Site search on /recherche/: Pagefind's index, built with the site, queried in the browser, and the
   finder's index for communes (communes.js): commune pages are not in Pagefind's index
   (plugins/editorial/search.py), the communes a query names come first.
   Without JavaScript the form still lands here with ?q=… and the page points to the site map. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-search]");
  if (!form) { return; }
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var moreWrap = document.getElementById("search-more-wrap");
  var more = document.getElementById("search-more");
  var PAGE = 10;
  var COMMUNES = 5;  // at most this many communes before the pages
  var index = form.getAttribute("data-index");
  var siteurl = form.getAttribute("data-siteurl") || "";
  var engine = null;
  var results = [];
  var shown = 0;
  var current = 0;

  function load() {
    if (!engine) {
      engine = import(form.getAttribute("data-pagefind")).then(function (pagefind) {
        pagefind.options({ excerptLength: 30 });
        return pagefind;
      });
    }
    return engine;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* Pagefind's excerpt is text with <mark> around the words found: keep only those tags. */
  function excerpt(html) {
    var text = String(html).replace(/<(\/?)mark>/g, "\u0001$1\u0002").replace(/<[^>]*>/g, "");
    var div = document.createElement("div");
    div.innerHTML = escapeHtml(text);
    return div.innerHTML.replace(/\u0001(\/?)\u0002/g, "<$1mark>");
  }

  function plural(n, one, many) { return n + "\u00a0" + (n > 1 ? many : one); }

  /* The communes the query names, from the finder's index; none when it cannot be read. */
  function communes(query) {
    if (!window.aaiCommunes || !index) return Promise.resolve({ found: [], entry: null });
    return Promise.all([window.aaiCommunes.entry(index), window.aaiCommunes.find(index, query)]).then(function (both) {
      return { entry: both[0], found: both[1].filter(function (r) { return !r.via; }).slice(0, COMMUNES) };
    }, function () { return { found: [], entry: null }; });
  }

  /* A commune as a result: its département and who intervenes there. */
  function communeItem(result, entry) {
    var c = result.c, at = window.aaiFrench.at(c.name), dep = "";
    entry.departements.forEach(function (d) { if (d[0] === c.dep) dep = d[1]; });
    var who = !c.ais.length ? "Aucune association intermédiaire n'y intervient encore\u00a0: la ligne régionale vous oriente."
      : c.ais.length > 1 ? c.ais.length + " associations intermédiaires interviennent " + at + "."
      : "Une association intermédiaire intervient " + at + ".";
    return { url: siteurl + "/commune/" + c.slug + "/", meta: { rubrique: "Commune", title: c.name + " (" + c.postcodes + ")" },
             excerpt: dep + " — " + who };
  }

  function render(items) {
    items.forEach(function (data) {
      var li = document.createElement("li");
      var kind = data.meta && data.meta.rubrique ? data.meta.rubrique : "";
      var title = data.meta && data.meta.title ? data.meta.title : data.url;
      li.innerHTML = (kind ? '<p class="search-kind">' + escapeHtml(kind) + "</p>" : "") +
        '<h2><a href="' + escapeHtml(data.url) + '">' + escapeHtml(title) + "</a></h2>" +
        "<p>" + excerpt(data.excerpt || "") + "</p>";
      list.appendChild(li);
    });
  }

  function showMore() {
    var ticket = current;
    var slice = results.slice(shown, shown + PAGE);
    return Promise.all(slice.map(function (r) { return r.data(); })).then(function (items) {
      if (ticket !== current) { return; }
      render(items);
      shown += slice.length;
      moreWrap.hidden = shown >= results.length;
    });
  }

  function search(query) {
    var ticket = ++current;
    list.innerHTML = "";
    moreWrap.hidden = true;
    results = [];
    shown = 0;
    query = query.trim();
    if (!query) { status.textContent = ""; return Promise.resolve(); }
    status.textContent = "Recherche en cours…";
    var places = communes(query);
    return load().then(function (pagefind) {
      return Promise.all([pagefind.search(query), places]);
    }).then(function (both) {
      if (ticket !== current) { return; }
      var towns = both[1].found.map(function (r) { return communeItem(r, both[1].entry); });
      results = towns.map(function (item) { return { data: function () { return Promise.resolve(item); } }; })
        .concat(both[0].results);
      var quoted = "«\u00a0" + query + "\u00a0»";
      status.textContent = results.length
        ? plural(results.length, "résultat", "résultats") + " pour " + quoted + "."
        : "Aucun résultat pour " + quoted + ". Essayez un autre mot, ou le nom de votre commune.";
      document.title = "Recherche\u00a0: " + query + " — " + document.title.split(" — ").pop();
      return showMore();
    }).catch(function () {
      status.textContent = "La recherche est momentanément indisponible. Consultez le plan du site ou appelez-nous.";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url);
    search(input.value);
  });
  more.addEventListener("click", function () {
    var first = shown;
    showMore().then(function () {
      var link = list.children[first] && list.children[first].querySelector("a");
      if (link) { link.focus(); }
    });
  });

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    search(initial);
  }
})();
