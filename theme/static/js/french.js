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

  root.aaiFrench = { fold: fold, at: at };
})(typeof window !== "undefined" ? window : globalThis);
