/* The two French rules the browser needs, twins of rules/typography.py (fold) and rules/grammar.py
   (a_commune): tests/rules/test_js_twins.py runs both under node over every commune name. */
(function (root) {
  "use strict";

  /* Lower case, no accents, hyphens and apostrophes as spaces: "Saint-Émilion" → "saint emilion". */
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/œ/g, "oe").replace(/Œ/g, "oe").replace(/æ/g, "ae").replace(/Æ/g, "ae")
      .toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
  }

  /* « à Bordeaux », « au Bouscat », « aux Eyzies », « à La Teste-de-Buch ». */
  function at(name) {
    if (name.indexOf("Le ") === 0) return "au " + name.slice(3);
    if (name.indexOf("Les ") === 0) return "aux " + name.slice(4);
    return "à " + name;
  }

  var MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                "novembre", "décembre"];
  var WEEKDAYS = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"];

  /* « mercredi 27 mai » from "2026-05-27" (twin of rules/dates.french_date without the year); anything but a
     real date written YYYY-MM-DD gives "": a day read from a URL is displayed only when it is one. */
  function day(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m) return "";
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return "";
    var number = d.getUTCDate() === 1 ? "1er" : String(d.getUTCDate());
    return WEEKDAYS[d.getUTCDay()] + " " + number + " " + MONTHS[d.getUTCMonth()];
  }

  root.aaiFrench = { fold: fold, at: at, day: day };
})(typeof window !== "undefined" ? window : globalThis);
