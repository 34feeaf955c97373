"""« Avez-vous trouvé facilement ? »: the household's word on the site itself, asked on the thank-you page.

The answer is kept on the request it follows (one answer per request, erased with it), so that nobody can stuff
the count and nothing is kept about a visitor who did not ask for anything; the monthly report counts it.
"""
