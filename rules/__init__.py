"""The product's shared rules, written once: phone numbers, e-mail addresses, French dates and working days,
French typography and grammar, and the vocabulary of the forms and the network.

Pure Python with no I/O, so the site build (``model/``, ``plugins/``), the print kit (``kit/``) and the form
functions (``functions/``, where Chalice ships this package through ``functions/vendor/``) all import the same
rule instead of keeping a copy each. The two rules the browser also needs (accent folding and « à / au / aux »
before a commune) have JavaScript twins in ``theme/static/js/french.js``, checked against these by a test.
"""
