/* A map's scripts (Leaflet, the shapes, the map itself; on /carte/ also « Autour de moi » and the commune finder)
   added once the page has loaded and its text has painted, in their order (data-scripts): the heading, the
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

  function afterPaint() { requestAnimationFrame(function () { setTimeout(add, 0); }); }

  if (document.readyState === "complete") afterPaint();
  else window.addEventListener("load", afterPaint);
})();
