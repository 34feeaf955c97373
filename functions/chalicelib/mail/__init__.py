"""The e-mails: how they leave (``mailers``: outbox folder, SMTP, SES), the messages of a new request
(``messages``), those of its later life (``notices``: reminder, liaison sheet, alert, the household's question) and
what the mail system says after they left (``events``: bounces, complaints, deliveries). Their words are the
templates of ``chalicelib/templates/mail/``."""
