"""The charter's 72 hours (AXE 5: « mettre à disposition un intervenant dans un délai de 72 heures, le cas échéant,
prévenir le client en cas de difficultés »): once an association records that a household became a client, the
first mission's date (or « à proposer »), a reminder before the 72 working hours run out, the household told when
the association reports a difficulty, and the figures (share of new clients with an intervenant in time, median
delay).

``rules`` is pure (the lifecycle imports it); ``sending`` sends, ``page`` and ``routes`` are the association's
signed page, ``figures`` counts.
"""
