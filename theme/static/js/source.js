/* Measured origins (issue 25): a link the network printed or pasted (a kit's QR code, a town hall's card…)
   lands here with ?source=<slug>. This carries the slug, in URLs only, to the form links of the page and into
   the forms' hidden « source » field; the functions check it against the one list (rules/sources.py) and drop
   an unknown one. Nothing is stored on the visitor's device: no cookie, no storage.
   Without JavaScript, the form links of a landing page cannot carry it (a QR code pointing straight at a form,
   or at the functions' GET /demande?…&source=…, still can: the server fills the hidden field). */
(function () {
  "use strict";
  var SLUG = /^[a-z0-9]+(-[a-zA-Z0-9]+)*$/;   /* rules/sources.py SLUG */
  var FORM_PATH = /\/(demande|rappel)\/?$/;
  var script = document.currentScript;
  var forms = script ? script.getAttribute("data-forms") || "" : "";
  var source = new URLSearchParams(window.location.search).get("source") || "";
  if (source.length > 60 || !SLUG.test(source)) return;

  function ours(url) {   // the site's own form pages, or the functions' (another origin in production)
    return url.origin === window.location.origin || (forms && url.href.indexOf(forms.replace(/\/+$/, "") + "/") === 0);
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[type=hidden][name=source]"), function (input) {
    if (!input.value) input.value = source;
  });
  Array.prototype.forEach.call(document.querySelectorAll("a[href]"), function (a) {
    var url;
    try { url = new URL(a.getAttribute("href"), window.location.href); } catch (e) { return; }
    if (!ours(url) || !FORM_PATH.test(url.pathname) || url.searchParams.has("source")) return;
    url.searchParams.set("source", source);
    a.setAttribute("href", url.href);
  });
})();
