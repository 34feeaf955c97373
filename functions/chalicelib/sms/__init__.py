"""SMS to households who do not live online: the senders (``senders``), the texts (``texts``) and the sending
with its rules — office hours, the monthly budget, failures handled like bounces (``sending``). The text rules
themselves (GSM-7, segments) are in rules/sms.py."""
