"""The plumbing every domain shares on the web side: the one service of the Lambda (``runtime``), request bodies
and headers (``http``), Chalice responses (``responses``), pages from the one Jinja2 environment (``templating``,
``pages``), signatures and signed links (``signing``, ``links``) and the AWS clients (``aws``). No business rule
lives here."""
