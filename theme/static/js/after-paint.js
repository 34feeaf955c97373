/* A map's scripts (Leaflet, the shapes, the map itself; on /carte/ also « Autour de moi » and the commune finder)
   added once the page has loaded and its text has painted on the screen, in their order (data-scripts): the heading, the
   finder's label and the list of associations show at once, the map a moment later. Used by /carte/ and by the
   small maps of the département and association pages. Without JavaScript, the lists under the maps and the
   page « Trouver mon association » stay (map-nojs.css). */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me) return;
  var sources = JSON.parse(me.getAttribute("data-scripts"));

  /* « Autour de moi » shows from the first paint: a click before map.js has come is kept (data-clicked), and
     map.js answers it on arrival instead of losing it. */
  var around = me.hasAttribute("data-around") && document.querySelector(".around-me-button");
  if (around) {
    around.addEventListener("click", function () { around.setAttribute("data-clicked", ""); }, { once: true });
  }

  function add() {
    sources.forEach(function (src) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false;  // each runs on arrival, once those before it have run
      document.body.appendChild(script);
    });
  }

  /* The next frame after "load" (all the text is in the page then), once the first contentful paint is reported
     (it has reached the screen): a frame begun may take long to show a long page, and scripts fetched
     meanwhile would come before the text on a slow phone. Where the browser does not report paints, the next
     frame alone. */
  function afterPaint(then) {
    function nextFrame() { requestAnimationFrame(function () { setTimeout(then, 0); }); }
    var types = window.PerformanceObserver && PerformanceObserver.supportedEntryTypes;
    if (!types || types.indexOf("paint") < 0) { nextFrame(); return; }
    var observer = new PerformanceObserver(function (list) {
      if (!list.getEntriesByName("first-contentful-paint").length) return;
      observer.disconnect();
      nextFrame();
    });
    observer.observe({ type: "paint", buffered: true });
  }

  function afterLoad() { afterPaint(add); }

  if (document.readyState === "complete") afterLoad();
  else window.addEventListener("load", afterLoad);
})();
