"""The site's audience without a tracker: figures computed each month from the CDN's own access log.

No script, no cookie, no third party: CloudFront logs every request it serves (the local server writes the same
format under var/access-logs), and the monthly job reads those logs once, streaming, into anonymous counts.

    cloudfront    the log format, once: the local writer and the streaming parser
    logfiles      a month's lines, from the log bucket (S3) or the local folder
    pages         which paths are pages, and which page (an AI's, a commune's, a form…)
    agents        robots (left out) and device classes, by maintained rule sets
    referrers     how a visit arrived: search engine, direct, partner site, social network, other site
    visits        page views grouped into visits under a daily salt, then forgotten
    figures       the month's figures: month_figures(lines, month, …) → MonthFigures
    presentation  the figures as French charts, text and CSV rows for the monthly e-mail and the back office

Import the modules themselves: this package imports nothing, so the local server can use ``cloudfront`` alone.
"""
