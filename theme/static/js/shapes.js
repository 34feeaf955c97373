/* The communes' shapes in the browser: one TopoJSON file per département (published by plugins/map
   from data/shapes/), turned into GeoJSON by topojson-client; the commune containing a position
   (point-in-polygon-hao, fetched with the first département's shapes: a page that reads none never loads it);
   the commune's name and page from the finder's index (communes.js).
   Everything runs here: a position found by « Autour de moi » is never sent anywhere. */
(function () {
  "use strict";
  var files = {};
  var read = {};
  // Beside this script, fingerprinted or not (the build rewrites this relative address with the file's name).
  var here = document.currentScript && document.currentScript.src;
  var PIP = "../vendor/point-in-polygon-hao/pointInPolygon.min.js";
  var pipLoaded;
  // Milliseconds of work per task: four times as long on a modest phone, still short of a long task (50 ms).
  var SLICE = 5;

  /* Calls `each(item, i)` on every item, a few milliseconds per task, the browser free to paint and answer
     between two; a promise of the end. The first slice waits for a task of its own too. */
  function inSlices(items, each) {
    return new Promise(function (resolve) {
      var next = 0;
      function slice() {
        var until = performance.now() + SLICE;
        while (next < items.length && performance.now() < until) { each(items[next], next); next++; }
        if (next < items.length) setTimeout(slice, 0);
        else resolve();
      }
      setTimeout(slice, 0);
    });
  }

  /* point-in-polygon-hao, added to the page once. */
  function pip() {
    if (window.pointInPolygon) return Promise.resolve();
    if (!pipLoaded) {
      pipLoaded = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = new URL(PIP, here || location.href).href;
        script.onload = resolve;
        script.onerror = function () { pipLoaded = null; reject(new Error("point-in-polygon")); };
        document.head.appendChild(script);
      });
    }
    return pipLoaded;
  }

  /* A JSON file of the site, fetched once per page. */
  function json(url) {
    if (!read[url]) {
      read[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error("shapes " + response.status);
        return response.json();
      });
    }
    return read[url];
  }

  /* One département's topology and its communes as GeoJSON features (each with its bounding box),
     fetched once per page, with what finds the commune at a position. The communes are turned into features
     a slice at a time: hundreds at once would hold a phone for a long task. */
  function load(url) {
    if (!files[url]) {
      files[url] = Promise.all([json(url), pip()]).then(function (got) {
        var topology = got[0], features = [];
        return inSlices(topology.objects.communes.geometries, function (geometry) {
          var feature = window.topojson.feature(topology, geometry);
          feature.bbox = bounds(feature.geometry);
          features.push(feature);
        }).then(function () { return { topology: topology, features: features }; });
      });
    }
    return files[url];
  }

  function polygons(geometry) {
    return geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  }

  function bounds(geometry) {
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    polygons(geometry).forEach(function (polygon) {
      polygon[0].forEach(function (p) {
        box = [Math.min(box[0], p[0]), Math.min(box[1], p[1]), Math.max(box[2], p[0]), Math.max(box[3], p[1])];
      });
    });
    return box;
  }

  /* The feature containing [longitude, latitude] among `features`, or null. A point on a border
     (pointInPolygon returns 0) belongs to the first commune found. */
  function containing(features, point) {
    for (var i = 0; i < features.length; i++) {
      var f = features[i], box = f.bbox;
      if (point[0] < box[0] || point[0] > box[2] || point[1] < box[1] || point[1] > box[3]) continue;
      var parts = polygons(f.geometry);
      for (var k = 0; k < parts.length; k++) {
        if (window.pointInPolygon(point, parts[k]) !== false) return f;
      }
    }
    return null;
  }

  /* The INSEE code of the commune at (latitude, longitude), or null outside every file given.
     `urls`: every département's file; all are read, so that the files fetched say nothing of
     where the visitor is. */
  function find(latitude, longitude, urls) {
    return Promise.all(urls.map(load)).then(function (loaded) {
      for (var i = 0; i < loaded.length; i++) {
        var found = containing(loaded[i].features, [longitude, latitude]);
        if (found) return found.id;
      }
      return null;
    });
  }

  /* A commune of the finder's index ({insee, name, slug, postcodes...}) by its INSEE code: only its
     département's part of the index is fetched. */
  function commune(indexUrl, insee) {
    return window.aaiCommunes.commune(indexUrl, insee);
  }

  /* The browser's position, as a promise; rejects with the GeolocationPositionError (code 1:
     refused, 2: unavailable, 3: too slow) or {code: 0} when the browser cannot locate at all. */
  function geolocate() {
    return new Promise(function (resolve, reject) {
      if (!navigator.geolocation) { reject({ code: 0 }); return; }
      navigator.geolocation.getCurrentPosition(resolve, reject,
                                               { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 });
    });
  }

  window.aaiShapes = { json: json, load: load, find: find, containing: containing, commune: commune, geolocate: geolocate,
                      inSlices: inSlices };
})();
