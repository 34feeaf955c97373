/* make run only: scripts/serve.py adds this script to the pages it sends (never to the files of output/,
   which are the ones published). It reloads the open page when a build changed it, or a style sheet or
   a script; the server says which URLs each build changed (server-sent events). */
(function () {
  "use strict";
  if (!window.EventSource) return;
  var builds = new EventSource("/__aai/builds");
  builds.onmessage = function (event) {
    var changed = JSON.parse(event.data), here = window.location.pathname;
    var mine = changed.some(function (url) {
      return url === here || /\.(css|js)$/.test(url);
    });
    if (mine) window.location.reload();
  };
})();
