"""Satisfaction after the first mission (AXE 5: « rappeler systématiquement en vue de la mesure de la satisfaction
le client à l'issue de la première mission », « remplacer l'intervenant en cas d'insatisfaction »): a few working
days after the first mission, two questions — the welcome and the follow-up of the relationship, five points each —
and an optional comment, by e-mail (or SMS where the household chose it), one reminder at most; an unhappy answer
opens a follow-up for the association and reaches the cell's queue; the figures per association and for the region.

``rules`` is pure (the lifecycle imports it); ``sending`` sends, ``links`` signs, ``page`` and ``routes`` are the
household's answer page (``/avis/{ref}``), ``figures`` counts.
"""
