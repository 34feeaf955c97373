"""Complaints (réclamations, issue 24) and the tracking of « Signaler une erreur » (issue 27): what a household
or a visitor raises beside a request, routed to the association and copied to AAI, followed to an outcome within
its own delay, escalated to the cell when ignored, counted monthly.

- ``model``: a case (complaint or error report) as the store keeps it;
- ``intake``: the public complaint form's rules (validation, recipients looked up server-side, acknowledgement);
- ``outcome``: the signed link and the back office's page that record what was done;
- ``jobs``: the escalation, run by the scheduled tick;
- ``figures``: the monthly counts;
- ``routes``: the Blueprint (``/reclamation``, the outcome pages, the back office's list).

Kept free of imports here: the store imports ``model``.
"""
