/* The back office's one script (its hash is in the pages' Content-Security-Policy): raise the session notice
   before the end, and « Rester connecté » without leaving the page, so what is being typed stays there.
   Without it, the notice is already on every page and its button works as a plain form. */
(function () {
  "use strict";
  var form = document.getElementById("session");
  if (!form || !window.fetch || !window.URLSearchParams || !window.FormData) { return; }
  var text = document.getElementById("session-fin");
  var warn = Number(form.getAttribute("data-alerte"));
  var timer = null;

  function raise() {
    form.classList.add("warn");
    text.textContent = "Votre session se termine bientôt, à " + form.getAttribute("data-fin") + "\u00a0: " +
      (form.querySelector("button") ? "appuyez sur «\u00a0Rester connecté\u00a0» pour la prolonger, sans perdre ce " +
       "que vous avez saisi." : "ce que vous enverrez ensuite sera gardé une heure, le temps de vous reconnecter.");
  }

  function schedule(left) {
    window.clearTimeout(timer);
    var wait = (left - warn) * 1000;
    if (wait > 0) { timer = window.setTimeout(raise, Math.min(wait, 2147483647)); } else { raise(); }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.fetch(form.action, {method: "POST", body: new URLSearchParams(new FormData(form)),
                               credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (answer) {
        form.classList.remove("warn");
        form.setAttribute("data-fin", answer.fin);
        text.textContent = "Session prolongée jusqu’à " + answer.fin + ".";
        if (!answer.prolongeable) { form.querySelector("button").hidden = true; }
        schedule(answer.reste);
      })
      .catch(function () { form.submit(); });   /* the plain form: the sign-in page if the session has ended */
  });
  schedule(Number(form.getAttribute("data-reste")));
}());
