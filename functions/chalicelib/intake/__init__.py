"""A visitor's request as it arrives: the two forms (``forms``: fields, rules, French labels; ``validation``: one
value at a time), the written promise made to the household (``promise``), the site's own form pages answered
without JavaScript (``site_pages``), « Signaler une erreur » (``error_reports``), what the forms answer
(``answers``) and the routes that receive them (``routes``). What happens to a request once stored lives in
``chalicelib.requests``."""
