/* The territory on a map (plugins/map, TerritoryLayer): the communes of the département files the
   page names, coloured by the AI(s) serving them — hatched when several do, dotted when none does —
   with lines along the edge of every zone and département; readable without any map tiles.
   A click or tap anywhere in a commune opens its pop-up: the AI(s) with their full details and
   actions, or the regional line. Pop-ups take the keyboard focus and Escape gives it back. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function svgElement(name, attributes, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function element(name, className, parent, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  /* The forms of a link open for this commune (as on the commune's page). */
  function addCommune(link, insee) {
    link.setAttribute("href", link.getAttribute("href") + "?commune=" + insee);
  }

  /* Fills that are patterns, defined once per map in an SVG of their own (same document, so the
     communes' paths can refer to them): dots for « no AI », stripes of each AI's colour separated
     by dark lines for « several AIs ». */
  function Patterns(container, key, palette) {
    var defs = svgElement("defs", {}, svgElement("svg", { "class": "map-patterns", "aria-hidden": "true",
                                                          focusable: "false" }, container));
    var made = {};
    this.none = function () {
      var id = "aai-" + key + "-none";
      if (!made[id]) {
        var pattern = svgElement("pattern", { id: id, patternUnits: "userSpaceOnUse", width: 7, height: 7 }, defs);
        svgElement("rect", { width: 7, height: 7, fill: palette.uncovered }, pattern);
        svgElement("circle", { cx: 3.5, cy: 3.5, r: 1.1, fill: palette.dots }, pattern);
        made[id] = true;
      }
      return "url(#" + id + ")";
    };
    this.stripes = function (colours) {
      var id = "aai-" + key + "-s-" + colours.join("-");
      if (!made[id]) {
        var width = 6, pattern = svgElement("pattern", {
          id: id, patternUnits: "userSpaceOnUse", width: width * colours.length, height: width,
          patternTransform: "rotate(45)" }, defs);
        colours.forEach(function (colour, i) {
          svgElement("rect", { x: i * width, width: width, height: width, fill: palette.zones[colour] }, pattern);
          svgElement("rect", { x: i * width, width: 1.2, height: width, fill: palette.hatch }, pattern);
        });
        made[id] = true;
      }
      return "url(#" + id + ")";
    };
  }

  /* Pop-ups that a keyboard can use: opening one moves the focus into it (a non-modal dialog named
     after its title), Escape or the close button closes it and gives the focus back to what opened it. */
  function accessiblePopups(map) {
    if (map.aaiAccessiblePopups) return;
    map.aaiAccessiblePopups = true;
    var opener = null;
    map.on("popupopen", function (event) {
      var container = event.popup.getElement();
      var active = document.activeElement;
      opener = active && active !== document.body && !container.contains(active) ? active : map.getContainer();
      var close = container.querySelector(".leaflet-popup-close-button");
      if (close) { close.setAttribute("aria-label", "Fermer"); close.title = "Fermer"; }
      var title = container.querySelector(".commune-popup-name, .ai-popup-name");
      container.setAttribute("role", "dialog");
      if (title) container.setAttribute("aria-label", title.textContent);
      var content = container.querySelector(".leaflet-popup-content");
      content.setAttribute("tabindex", "-1");
      content.focus({ preventScroll: true });
      var frame = map.getContainer().getBoundingClientRect();
      if (frame.top < 0 || frame.bottom > window.innerHeight) map.getContainer().scrollIntoView({ block: "nearest" });
      if (!container.aaiEscape) {
        container.aaiEscape = true;
        container.addEventListener("keydown", function (e) {
          if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); map.closePopup(); }
        });
      }
    });
    map.on("popupclose", function (event) {
      var container = event.popup.getElement(), active = document.activeElement;
      var lost = !active || active === document.body || (container && container.contains(active));
      if (lost && opener && document.contains(opener)) opener.focus({ preventScroll: true });
    });
  }

  /* map.css bounds a pop-up by its map's size; when the map changes size (a phone turned, a page zoomed), the open
     pop-up is laid out and placed again so that it still fits. */
  function refitPopups(map) {
    if (map.aaiRefitPopups) return;
    map.aaiRefitPopups = true;
    var shown = null;
    map.on("popupopen", function (event) { shown = event.popup; });
    map.on("popupclose", function (event) { if (shown === event.popup) shown = null; });
    map.on("resize", function () { if (shown && shown.isOpen()) shown.update(); });
  }

  /* Offices and cluster buttons clear of the map's own controls (zoom buttons, attribution), of each other and of
     the map's edges: a target half under a button is hard to tap and, focused, hidden (WCAG 2.2, 2.5.8 and
     2.4.11); on a phone the framing often leaves one there. The map steps back a quarter of a zoom level at a
     time, around its centre (the corners, where the controls are, draw nearer the middle), until no target is
     hidden, one zoom level at most. A cluster group lays its buttons out again when its zoom level changes: that
     step waits for it. */
  function clearControls(map, cluster) {
    var container = map.getContainer(), step = map.options.zoomSnap || 0.25;
    function box(element) { return element.getBoundingClientRect(); }
    function apart(a, b) { return a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top; }
    function inside(a, b) { return a.left >= b.left && a.top >= b.top && a.right <= b.right && a.bottom <= b.bottom; }
    function hidden() {
      var frame = box(container);
      var controls = Array.prototype.map.call(container.querySelectorAll(".leaflet-control"), box);
      var targets = Array.prototype.map.call(container.querySelectorAll(".leaflet-marker-icon"), box);
      return targets.some(function (target, i) {
        return !inside(target, frame) || !controls.concat(targets.slice(i + 1)).every(function (other) {
          return apart(target, other);
        });
      });
    }
    return new Promise(function (resolve) {
      (function next(left) {
        if (!left || !container.offsetWidth || !hidden()) { resolve(); return; }
        var zoom = map.getZoom();
        var relaid = cluster && Math.round(zoom - step) !== Math.round(zoom)
          ? new Promise(function (done) { cluster.once("animationend", done); }) : Promise.resolve();
        map.setZoom(zoom - step, { animate: false });
        relaid.then(function () { next(left - 1); });
      })(Math.round(1 / step));
    });
  }

  /* A target the keyboard reaches once the map was moved may lie under a control or past the map's edge: the map
     moves just enough to show it whole (WCAG 2.2, 2.4.11), the shortest way out from under each control. */
  function revealFocused(map) {
    var container = map.getContainer(), gap = 4;
    function apart(a, b) { return a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top; }
    function moved(box, dx, dy) {
      return { left: box.left + dx, right: box.right + dx, top: box.top + dy, bottom: box.bottom + dy };
    }
    container.addEventListener("focusin", function (event) {
      var icon = event.target;
      if (!icon.classList || !icon.classList.contains("leaflet-marker-icon")) return;
      map.stop();  // Leaflet's own pan on focus (autoPanOnFocus) minds the edges only: this one does both
      var frame = container.getBoundingClientRect(), target = icon.getBoundingClientRect(), dx = 0, dy = 0;
      if (target.left < frame.left + gap) dx = frame.left + gap - target.left;
      else if (target.right > frame.right - gap) dx = frame.right - gap - target.right;
      if (target.top < frame.top + gap) dy = frame.top + gap - target.top;
      else if (target.bottom > frame.bottom - gap) dy = frame.bottom - gap - target.bottom;
      Array.prototype.forEach.call(container.querySelectorAll(".leaflet-control"), function (control) {
        var c = control.getBoundingClientRect(), now = moved(target, dx, dy);
        if (apart(now, c)) return;
        var ways = [[c.right + gap - now.left, 0], [c.left - gap - now.right, 0],
                    [0, c.bottom + gap - now.top], [0, c.top - gap - now.bottom]].filter(function (way) {
          var there = moved(now, way[0], way[1]);
          return there.left >= frame.left && there.right <= frame.right && there.top >= frame.top
            && there.bottom <= frame.bottom;
        }).sort(function (a, b) { return Math.abs(a[0] + a[1]) - Math.abs(b[0] + b[1]); });
        if (ways.length) { dx += ways[0][0]; dy += ways[0][1]; }
      });
      if (dx || dy) map.panBy([-dx, -dy], { animate: false });
    });
  }

  /* An AI's pop-up (or, for "none", a commune's when no AI serves it), as the page gives it in a
     <template> (plugins/map/popup.py): the map's script carries no contact details. Its links, the same for
     every AI, are written once in the page (#aai-card-actions), each after the AI's page address (data-page). */
  var cards = {};
  function card(ident) {
    if (cards[ident] === undefined) {
      var template = document.getElementById("aai-card-" + ident), actions = document.getElementById("aai-card-actions");
      var box = document.createElement("div");
      if (template) box.appendChild(template.content.cloneNode(true));
      var slot = box.querySelector("[data-page]");
      if (slot && actions) {
        slot.appendChild(actions.content.cloneNode(true));
        Array.prototype.forEach.call(slot.querySelectorAll("a[data-to]"), function (a) {
          a.href = slot.getAttribute("data-page") + a.getAttribute("data-to");
          a.removeAttribute("data-to");
        });
        slot.removeAttribute("data-page");
      }
      cards[ident] = box.innerHTML;
    }
    return cards[ident];
  }

  /* Draws the territory on `map` (registered as window.aaiMaps[key]) from the options the page's
     script gives (plugins/map/territory.py): files, index, palette, AIs and their zones, modes. */
  function draw(map, key, o) {
    var maps = window.aaiMaps = window.aaiMaps || {};
    var entry = maps[key] = maps[key] || { map: map, cluster: null, markers: {} };
    var palette = o.palette;
    var serving = {};  // INSEE code → ids of the AIs serving it (in id order), from the zone files
    var colour = {};  // AI id → its colour's number in the palette
    var zonesRead = {};  // zone file URL → a promise, read once
    function readZones(url) {
      if (!zonesRead[url]) {
        zonesRead[url] = fetch(url).then(function (response) {
          if (!response.ok) throw new Error("zones " + response.status);
          return response.json();
        }).then(function (data) {
          var inZone = null;  // an AI's map: only its zone is coloured (with every AI serving it)
          if (o.only) {
            inZone = {};
            data.ais.forEach(function (ai, i) {
              if (ai[0] !== o.only) return;
              data.zones[i].split(" ").forEach(function (insee) { inZone[insee] = true; });
            });
          }
          data.ais.forEach(function (ai, i) {
            colour[ai[0]] = ai[1];
            if (data.zones[i]) data.zones[i].split(" ").forEach(function (insee) {
              if (inZone && !inZone[insee]) return;
              var list = serving[insee] = serving[insee] || [];
              if (list.indexOf(ai[0]) < 0) { list.push(ai[0]); list.sort(); }
            });
          });
        });
      }
      return zonesRead[url];
    }
    var patterns = new Patterns(map.getContainer(), key, palette);
    var renderer = L.svg({ padding: 0.3 });
    // The lines above every département's communes, whichever was drawn last: a pane of their own
    // (clicks go through it to the communes).
    if (!map.getPane("aaiLines")) {
      map.createPane("aaiLines").style.zIndex = 410;
      map.getPane("aaiLines").style.pointerEvents = "none";
    }
    var lineRenderer = L.svg({ padding: 0.3, pane: "aaiLines" });
    var layers = {};
    var opened = null;

    function fill(insee) {
      var s = serving[insee];
      if (!s) return o.mode === "association" ? palette.outside : patterns.none();
      return colours(s.map(function (id) { return colour[id]; }));
    }

    function colours(list) {
      if (!list.length) return patterns.none();
      if (list.length === 1) return palette.zones[list[0]];
      return patterns.stripes(list);
    }

    function style(insee) {
      return { weight: 0.6, color: palette.communeLine, opacity: 0.6, fillColor: fill(insee),
               fillOpacity: palette.fillOpacity };
    }

    function zoneKey(feature) { return (serving[feature.id] || []).join(","); }


    /* The pop-up of a commune: who serves it, or the regional line, and its page. */
    function content(commune, insee) {
      var name = commune ? commune.name : insee, at = window.aaiFrench.at(name);
      var root = element("div", "commune-popup");
      var title = element("p", "commune-popup-name", root, name);
      if (commune) element("span", "commune-popup-postcodes", title, " " + commune.postcodes);
      var s = serving[insee];
      if (!s && o.mode === "association") {
        element("p", "", root, name + " n'est pas dans la zone de cette association.");
      } else if (!s) {
        var none = element("div", "", root);
        none.innerHTML = card("none");
        none.querySelector("[data-slot=at]").textContent = at;
        addCommune(none.querySelector("[data-slot=callback]"), insee);
      } else {
        element("p", "commune-popup-lead", root, s.length > 1
          ? s.length + " associations interviennent " + at + "\u00a0:"
          : "L'association qui intervient " + at + "\u00a0:");
        var list = element("ul", "commune-popup-list", root);
        s.forEach(function (i) {
          var item = element("li", "", list);
          item.innerHTML = card(i);
          Array.prototype.forEach.call(item.querySelectorAll("a[href$='/demande/'], a[href$='/rappel/']"),
                                       function (a) { addCommune(a, insee); });
        });
      }
      if (commune) {
        var more = element("p", "commune-popup-more", root);
        var link = element("a", "", more, !s && o.mode === "association"
          ? "Voir qui intervient " + at : "Voir la page de la commune");
        link.href = o.siteurl + "/commune/" + commune.slug + "/";
      }
      return root;
    }

    function highlight(insee) {
      if (opened && layers[opened]) layers[opened].setStyle(style(opened));
      opened = insee;
      if (insee && layers[insee]) layers[insee].setStyle({ weight: 3, color: palette.highlight, opacity: 1 });
    }

    /* The département file holding a commune (its code is the longest that starts the INSEE code). */
    function fileOf(insee) {
      var found = null;
      o.files.forEach(function (f) {
        if (insee.indexOf(f[0]) === 0 && (!found || f[0].length > found[0].length)) found = f;
      });
      return found;
    }

    /* Opens the pop-up of a commune at `latlng` (default: the middle of its shape), its
       département's communes drawn first if they were not yet. */
    function open(insee, latlng) {
      var file = fileOf(insee);
      if (!file) return Promise.resolve(false);
      return detail(file).then(function () {
        var layer = layers[insee];
        if (!layer) return false;
        return window.aaiShapes.commune(o.index, insee).then(function (commune) {
          var popup = L.popup({ maxWidth: 320, autoPanPadding: [24, 24], className: "commune-popup-frame" });
          popup.setLatLng(latlng || layer.getCenter()).setContent(content(commune, insee));
          popup.on("remove", function () { if (opened === insee) highlight(null); });
          popup.openOn(map);
          highlight(insee);
          return true;
        });
      });
    }

    var api = { ready: false, open: open,
                detail: function (insee) { var f = fileOf(insee); return f ? detail(f) : Promise.resolve(); }, palette: palette, layer: function (insee) { return layers[insee]; },
                serving: function (insee) { return (serving[insee] || []).slice(); } };
    entry.territory = api;
    accessiblePopups(map);
    refitPopups(map);
    revealFocused(map);

    /* The zone and département lines of a topology's object, each a function that draws it: a département's
       communes are walked for each. */
    function lines(topology, object, key) {
      var keys = {};
      object.geometries.forEach(function (g) { keys[g.id] = key(g); });
      function line(between, style) {
        return function () {
          return L.geoJSON(window.topojson.mesh(topology, object, between),
                           { renderer: lineRenderer, interactive: false, style: style });
        };
      }
      return [line(function (a, b) { return a !== b && keys[a.id] !== keys[b.id]; },
                   { color: palette.zoneLine, weight: 2, opacity: 1 }),
              line(function (a, b) { return a === b; }, { color: palette.departementLine, weight: 3, opacity: 1 })];
    }

    /* The zone and département lines of a topology's object at once, on their own pane (a département's
       overview: a few shapes). */
    function drawLines(topology, object, key) {
      return L.layerGroup(lines(topology, object, key).map(function (draw) { return draw(); })).addTo(map);
    }

    /* One département's communes, drawn in slices of a few milliseconds so the page stays
       responsive (shapes.js); then the lines between zones and around the département, in slices too (a task
       each when the département is large). */
    function drawFile(file) {
      var layer = L.geoJSON(null, {
        renderer: renderer,
        style: function (feature) { return style(feature.id); },
        onEachFeature: function (feature, path) {
          layers[feature.id] = path;
          path.on("click", function (e) {
            // The commune's own tap: not the map's too, whose overview handler (tapOnOverview) would open a
            // second pop-up while this département's overview is still drawn (until its lines are).
            L.DomEvent.stopPropagation(e);
            open(feature.id, e.latlng);
          });
        }
      }).addTo(map);
      var slices = window.aaiShapes.inSlices;
      return slices(file.features, function (feature) { layer.addData(feature); }).then(function () {
        var group = L.layerGroup().addTo(map);
        return slices(lines(file.topology, file.topology.objects.communes, zoneKey), function (draw) {
          group.addLayer(draw());
        });
      });
    }

    /* /carte/: a département's overview, its zones as a few shapes (plugins/map/overview.py); not a target
       itself: a tap on it reaches the map (see tapOnOverview). */
    function drawOverview(f, topology) {
      var object = topology.objects.zones;
      var fills = L.geoJSON(window.topojson.feature(topology, object), {
        renderer: renderer, interactive: false,
        style: function (feature) {
          return { weight: 0, fillColor: colours(feature.properties.c), fillOpacity: palette.fillOpacity };
        }
      }).addTo(map);
      overviews[f[0]] = [fills, drawLines(topology, object, function (g) { return g.id; })];
    }

    /* A tap on a département still drawn as an overview: its communes are drawn, then the pop-up of the one
       under the finger opens (a tap on a commune already drawn is the commune's own, see drawFile). */
    function tapOnOverview(e) {
      var point = [e.latlng.lng, e.latlng.lat];
      o.files.forEach(function (f) {
        var box = f[4];
        if (!overviews[f[0]] || (box && !L.latLngBounds([box[0], box[1]], [box[2], box[3]]).contains(e.latlng))) return;
        detail(f).then(function (file) {
          var found = window.aaiShapes.containing(file.features, point);
          if (found) open(found.id, e.latlng);
        });
      });
    }

    var overviews = {};  // département code → its overview layers, until its communes are drawn
    var detailed = {};  // département code → a promise of its file, once its communes are asked for
    // The shapes' credit, on the map itself: the layers that carry the shapes come and go.
    if (map.attributionControl) map.attributionControl.addAttribution(o.attribution);

    /* A département's communes drawn (once): its shapes and zones fetched, then drawn in place of its overview. */
    function detail(f) {
      if (!detailed[f[0]]) {
        detailed[f[0]] = Promise.all([window.aaiShapes.load(f[1]), readZones(f[2])]).then(function (got) {
          return drawFile(got[0]).then(function () {
            if (overviews[f[0]]) {
              overviews[f[0]].forEach(function (layer) { map.removeLayer(layer); });
              delete overviews[f[0]];
            }
            return got[0];
          });
        });
      }
      return detailed[f[0]];
    }

    /* /carte/ zoomed in: the communes of every département in view. */
    function detailInView() {
      if (map.getZoom() < o.detail) return;
      var view = map.getBounds();
      o.files.forEach(function (f) {
        var box = f[4];
        if (!box || view.intersects(L.latLngBounds([box[0], box[1]], [box[2], box[3]]))) detail(f);
      });
    }

    function fail(error) {
      var notice = element("p", "map-error", map.getContainer().parentNode,
                           "Les contours des communes n'ont pas pu être chargés\u00a0: rechargez la page, ou utilisez la liste sous la carte.");
      notice.setAttribute("role", "status");
      throw error;
    }

    function done() {
      api.ready = true;
      document.dispatchEvent(new CustomEvent("aai:territoryready", { detail: key }));
      return api;
    }

    /* The files are fetched at once; drawing waits for the page's first paint (not for its
       "load" event: tiles from a blocked server could hold that back for a long time). */
    var pageLoaded = new Promise(function (resolve) {
      requestAnimationFrame(function () { setTimeout(resolve, 0); });
    });
    var framed = pageLoaded.then(function () { return clearControls(map, entry.cluster); });
    if (o.mode === "region") {
      var read = o.files.map(function (f) { return window.aaiShapes.json(f[3]); });
      api.loaded = Promise.all(read.concat([framed])).then(function (loaded) {
        loaded.pop();
        // One overview per task: the page answers between two.
        return loaded.reduce(function (previous, topology, n) {
          return previous.then(function () {
            return new Promise(function (resolve) {
              setTimeout(function () { drawOverview(o.files[n], topology); resolve(); }, 0);
            });
          });
        }, Promise.resolve());
      }).then(function () {
        map.on("zoomend moveend", detailInView);
        map.on("click", tapOnOverview);
        detailInView();
        return done();
      }, fail);
    } else {
      // Sequential, as before: one département drawn after the other keeps each task short.
      o.files.forEach(function (f) { window.aaiShapes.load(f[1]); readZones(f[2]); });
      api.loaded = framed.then(function () {
        return o.files.reduce(function (previous, f) {
          return previous.then(function () { return detail(f); });
        }, Promise.resolve());
      }).then(done, fail);
    }
    return api;
  }

  window.aaiTerritory = { draw: draw, card: card, accessiblePopups: accessiblePopups };
})();
