"""The back office (``/espace/``): each association's requests, AAI's phone cell's console and its liaison sheet,
the monthly figures with their charts. No password: a single-use link e-mailed to an address the data knows.

    auth.py          who may sign in (an AI's address, an operator of the cell), links, sessions, rate limits
    csrf.py          the token every form posts back, and the same-origin check
    web.py           HTTP as the pages see it (Visit → Reply), and the guard every route goes through
    audit.py         every read of personal data and every action, written down with who and when
    layout.py        rendering with the navigation, the month and the people's names
    signin.py        the sign-in pages and the e-mail with the link
    inbox.py         the lists: an AI's requests by month and state, the cell's queue, the dashboard
    request_page.py  one request: every detail, its trail, its actions (handled, note, « pas pour nous », re-route)
    liaison.py       the cell's liaison sheet: a phone call becomes a request like the site's
    export.py        an AI's requests as a CSV table
    figures.py       the monthly figures and the site's audience, as SVG charts beside their data tables
    routes.py        the routes (``/espace/…``), each onto one view through ``gate.serve``

routes.py maps each route onto one view here (a Blueprint registered by app.py); ``gate.serve`` checks the
session, the CSRF token and the role before the view runs, so no view can forget it
(tests/functions/test_backoffice_access.py holds the whole matrix).
"""
