"""Form handling for the AAI site: validate, store, then e-mail the chosen AI."""
