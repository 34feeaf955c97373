"""The monthly follow-up and the cell's week, in one place: the requests' figures (``request_figures``), joined
with the site's audience (``followup``), written for people (``formats``: text, CSV, e-mail; ``charts``), and the
phone cell's week (``week``). Sent by the scheduled job (``chalicelib.jobs.schedule``), shown in the back office."""
