/* Order and callback forms (plugins/forms), and the thank-you page.
   Without JavaScript the forms post as plain HTML and the server answers with a redirect or an
   error page. With it: an idempotency token, the commune prefilled from ?commune=, a message when
   that commune is outside the association's zone, and sending with fetch, each error shown next
   to its field (aria-describedby, aria-invalid) under a summary that receives the focus. */
(function () {
  "use strict";
  var INSEE = /^\d[0-9AB]\d{3}$/;
  var REF = /^AI-\d{8}-[0-9A-Z]{6}$/;
  var AI_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  var params = new URLSearchParams(window.location.search);

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  var at = window.aaiFrench.at;   /* « à Bordeaux », « au Bouscat »: the rulebook's twin (french.js) */

  function link(href, text) {
    var a = el("a", "", text);
    a.href = href;
    return a;
  }

  /* ---- thank-you page ---- */
  function show(node, visible) { node.hidden = !visible; }
  /* twins of functions/chalicelib/promise.CHANNELS: the channel's words come from here, never from the URL */
  var CHANNELS = { telephone: "par téléphone", email: "par e-mail", sms: "par SMS" };
  function thanks(box) {
    var ref = params.get("ref") || "";
    var who = params.get("association") || "";
    var network = who === box.getAttribute("data-network");
    var known = network || AI_ID.test(who);
    if (REF.test(ref)) {
      document.getElementById("merci-ref-valeur").textContent = ref;
      document.getElementById("merci-ref").hidden = false;
      document.getElementById("merci-generique").hidden = true;
    }
    var kind = params.get("type");
    if (known && (kind === "rappel" || (kind === "demande" && !network))) {
      document.getElementById("merci-suite-generique").hidden = true;
      document.getElementById("merci-suite-" + kind).hidden = false;
    }
    if (known) {   // the words for AAI's regional cell, or for an association (and its charter)
      Array.prototype.forEach.call(box.querySelectorAll(".pour-aai"), function (n) { show(n, network); });
      Array.prototype.forEach.call(box.querySelectorAll(".pour-ai"), function (n) { show(n, !network); });
      Array.prototype.forEach.call(box.querySelectorAll(".charte-oui"), function (n) {
        show(n, !network && params.get("charte") === "oui");
      });
      if (!network) document.getElementById("merci-page-ai").href = box.getAttribute("data-siteurl") + "/association/" + who + "/";
    }
    var promised = window.aaiFrench.day(params.get("au"));   /* a real YYYY-MM-DD or nothing shown */
    if (promised) {
      document.getElementById("merci-promesse-jour").textContent = promised;
      document.getElementById("merci-promesse-par").textContent = CHANNELS[params.get("par")] || CHANNELS.telephone;
      document.getElementById("merci-sans-nouvelles").textContent = "d'ici là";
      document.getElementById("merci-promesse").hidden = false;
    }
    var feedback = document.getElementById("avis-site");
    if (feedback && /^[A-Za-z0-9_.-]{20,200}$/.test(params.get("avis") || "")) {   /* the token, checked by the server */
      document.getElementById("avis-jeton").value = params.get("avis");
      feedback.hidden = false;
    }
    if (params.get("statut") === "enregistre") {
      document.getElementById("merci-titre").textContent = "Votre demande est bien enregistrée";
      document.getElementById("merci-enregistre").hidden = false;
      document.getElementById("merci-generique").hidden = true;
    }
  }

  /* ---- forms ---- */
  function token() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
  }

  function setupForm(form) {
    var siteurl = form.getAttribute("data-siteurl") || "";
    var summary = document.getElementById("form-summary");
    var status = form.querySelector(".form-status");
    var button = form.querySelector("button[type=submit]");
    var sending = false;

    form.noValidate = true;   // the server's French messages, shown next to each field, replace the bubbles
    form.elements.idempotence.value = token();
    var date = form.elements.date_debut;
    if (date) date.min = today();
    prefillCommune(form, siteurl);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sending) return;   // a double click sends once (and the token makes the server agree)
      sending = true;
      button.disabled = true;
      status.textContent = "Envoi en cours…";
      var body = new URLSearchParams(new FormData(form));
      fetch(form.action, {
        method: "POST", body: body, credentials: "omit",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.json().catch(function () { return { ok: false }; });
      }).then(function (data) {
        if (data.ok && data.redirect) {
          status.textContent = "Demande envoyée.";
          // The thank-you page then speaks of the right recipient (AAI's cell or this association).
          window.location.assign(data.redirect + (data.redirect.indexOf("?") < 0 ? "?" : "&") +
            "association=" + encodeURIComponent(form.elements.association.value) +
            (form.getAttribute("data-charter") === "oui" ? "&charte=oui" : ""));
          return;
        }
        showErrors(form, summary, data);
        done();
      }).catch(function () {
        showErrors(form, summary, { message: "Votre demande n'a pas pu être envoyée\u00a0: la connexion a peut-être été " +
          "interrompue. Vérifiez-la et réessayez, ou appelez " + form.getAttribute("data-ai-name") + " au " +
          form.getAttribute("data-phone") + "." });
        done();
      });
    });

    // Back from the thank-you page (back-forward cache): a new request needs a new token.
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) return;
      form.elements.idempotence.value = token();
      done();
    });

    function done() {
      sending = false;
      button.disabled = false;
      status.textContent = "";
    }
  }

  /* ---- errors next to their fields ---- */
  function clearErrors(form) {
    Array.prototype.forEach.call(form.querySelectorAll(".field-error"), function (node) {
      var id = node.id;
      Array.prototype.forEach.call(form.querySelectorAll("[aria-describedby~='" + id + "']"), function (c) {
        var rest = c.getAttribute("aria-describedby").split(/\s+/).filter(function (x) { return x && x !== id; });
        if (rest.length) c.setAttribute("aria-describedby", rest.join(" "));
        else c.removeAttribute("aria-describedby");
      });
      node.parentNode.removeChild(node);
    });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (c) {
      c.removeAttribute("aria-invalid");
    });
  }

  function describe(control, id) {
    var current = control.getAttribute("aria-describedby");
    control.setAttribute("aria-describedby", current ? id + " " + current : id);
  }

  function markField(form, name, message, alternatives) {
    var box = form.querySelector("[data-field='" + name + "']");
    if (!box) return null;
    var controls = box.querySelectorAll("input:not([type=hidden]), select, textarea");
    var error = el("p", "field-error");
    error.id = "f-" + name + "-erreur";
    error.appendChild(el("span", "visually-hidden", "Erreur\u00a0: "));
    error.appendChild(document.createTextNode(message));
    if (name === "commune" && alternatives && alternatives.length) appendAlternatives(error, alternatives, form);
    if (box.tagName === "FIELDSET") {
      var legend = box.querySelector("legend");
      legend.parentNode.insertBefore(error, legend.nextSibling);
      describe(box, error.id);
    } else if (controls.length) {
      var last = controls[controls.length - 1];
      last.parentNode.insertBefore(error, last.nextSibling);
    } else {
      box.appendChild(error);
    }
    Array.prototype.forEach.call(controls, function (c) {
      describe(c, error.id);
      c.setAttribute("aria-invalid", "true");
    });
    return controls.length ? controls[0] : null;
  }

  function appendAlternatives(error, alternatives, form) {
    var siteurl = form.getAttribute("data-siteurl") || "";
    var commune = form.elements.commune ? form.elements.commune.value : "";
    var query = INSEE.test(commune) ? "?commune=" + commune : "";
    var list = el("ul", "alternatives");
    alternatives.forEach(function (ai) {
      var item = el("li");
      var href = ai.id === "aai" ? siteurl + "/rappel/" + query
        : siteurl + ai.url + form.getAttribute("data-kind") + "/" + query;
      item.appendChild(link(href, (ai.id === "aai" ? "Être rappelé par " : "Écrire à ") + ai.name));
      if (ai.phone) item.appendChild(document.createTextNode(" ou appeler le " + ai.phone));
      list.appendChild(item);
    });
    error.appendChild(list);
  }

  function showErrors(form, summary, data) {
    clearErrors(form);
    var errors = data.errors || {};
    summary.textContent = "";
    summary.hidden = false;
    var count = Object.keys(errors).length;
    summary.appendChild(el("h2", "", count ? (count > 1 ? "Votre demande n'a pas été envoyée\u00a0: " + count +
      " points sont à corriger" : "Votre demande n'a pas été envoyée\u00a0: un point est à corriger")
      : "Votre demande n'a pas été envoyée"));
    var list = el("ul");
    var seen = {};
    Array.prototype.forEach.call(form.querySelectorAll("[data-field]"), function (box) {
      var name = box.getAttribute("data-field");
      if (!errors[name]) return;
      var first = markField(form, name, errors[name], data.alternatives);
      seen[name] = true;
      var label = box.getAttribute("data-label") || name;
      var item = el("li");
      if (first) item.appendChild(link("#" + first.id, label + "\u00a0: " + errors[name]));
      else item.textContent = label + "\u00a0: " + errors[name];
      list.appendChild(item);
    });
    Object.keys(errors).forEach(function (name) {
      if (!seen[name]) list.insertBefore(el("li", "", errors[name]), list.firstChild);
    });
    if (!count) summary.appendChild(el("p", "", data.message ||   // 429, 503, or not the functions' answer
      "Une erreur inattendue est survenue. Réessayez plus tard ou appelez " + form.getAttribute("data-ai-name") +
      " au " + form.getAttribute("data-phone") + "."));
    if (list.children.length) summary.appendChild(list);
    summary.focus();
  }

  /* ---- commune from ?commune= ---- */
  function prefillCommune(form, siteurl) {
    var code = (params.get("commune") || "").toUpperCase();
    var field = form.elements.commune;
    if (!field || !INSEE.test(code)) return;
    var inZone = field.tagName === "SELECT" &&
      Array.prototype.some.call(field.options, function (o) { return o.value === code; });
    if (inZone) {
      field.value = code;
      return;
    }
    if (!window.aaiCommunes) return;
    var url = form.getAttribute("data-index");
    Promise.all([window.aaiCommunes.entry(url), window.aaiCommunes.commune(url, code)]).then(function (found) {
      var index = found[0], commune = found[1];
      if (!commune) return;
      var name = commune.name + " (" + commune.postcodes + ")";
      var serving = commune.ais.map(function (n) { return index.associations[n]; });
      var notice = document.getElementById("f-commune-hors-zone");
      if (field.tagName !== "SELECT") {   // the regional callback form: any commune
        field.value = code;
        var shown = document.getElementById("f-commune-nom");
        shown.textContent = "Votre commune\u00a0: " + name;
        shown.hidden = false;
        document.getElementById("f-commune-aide").hidden = true;
        if (serving.length) zoneNotice(notice, siteurl, code, "Bonne nouvelle\u00a0: " + commune.name +
          " est desservie par une association intermédiaire. Vous pouvez aussi vous adresser à elle directement\u00a0:",
          serving, "rappel");
        return;
      }
      if (serving.length) {
        zoneNotice(notice, siteurl, code, form.getAttribute("data-ai-name") + " n'intervient pas " + at(commune.name) + " (" + commune.postcodes + ")" +
          ". Pour cette commune, adressez-vous à\u00a0:", serving, form.getAttribute("data-kind"));
      } else {
        notice.textContent = "";
        notice.appendChild(el("p", "", "Aucune association intermédiaire ne dessert encore " + name + "."));
        var p = el("p");
        p.appendChild(link(siteurl + "/rappel/?commune=" + code, "Demander à être rappelé par la cellule régionale"));
        notice.appendChild(p);
        notice.classList.add("is-shown");
      }
    }).catch(function () { /* the select still lists the communes served */ });
  }

  function zoneNotice(notice, siteurl, code, text, serving, kind) {
    notice.textContent = "";
    notice.appendChild(el("p", "", text));
    var list = el("ul");
    serving.forEach(function (ai) {
      var item = el("li");
      item.appendChild(link(siteurl + "/" + ai[2] + kind + "/?commune=" + code, ai[1]));
      list.appendChild(item);
    });
    notice.appendChild(list);
    notice.classList.add("is-shown");
  }

  var merci = document.getElementById("merci");
  if (merci) thanks(merci);
  if (!window.fetch || !window.URLSearchParams || !window.FormData) return;
  Array.prototype.forEach.call(document.querySelectorAll("form.aai-form"), setupForm);
})();
