/* « Copier le code » on a commune's town-hall page (theme/templates/town_hall.html). Progressive
   enhancement: without JavaScript, or without the clipboard, the button stays hidden and the read-only
   textarea is there to select by hand. A site script: the Content-Security-Policy refuses inline ones. */
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) return;
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!field || !status) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        status.textContent = "Code copié\u00a0: collez-le dans une page du site de la mairie.";
      }, function () {
        field.focus();
        field.select();
        status.textContent = "La copie n’a pas pu se faire\u00a0: le code est sélectionné, copiez-le avec Ctrl+C.";
      });
    });
  });
})();
