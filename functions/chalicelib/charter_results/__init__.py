"""The quality charter's results in public (issue 24, item 4): the figures the site shows on each signatory's page
and on the charter page, computed here from the stored requests and published as one file that a scheduled
rebuild of the static site reads — no page view ever reaches a function.

- ``figures``: the last 12 months' figures per AI and for the region, from the monthly report's own counting;
- ``publishing``: the file written (S3 in production, ``var/`` locally), once a day by the scheduled tick and on
  demand by ``python -m chalicelib.admin results``.
"""
