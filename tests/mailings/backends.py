"""A mail backend for tests: Django's in-memory one, refusing the addresses listed in ``REFUSED``."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend

REFUSED = {"awa@douanes.example"}


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            refused = {address for address in message.to if address in REFUSED}
            if refused:
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(refused, (550, b"5.1.1 Mailbox unknown")))
        return super().send_messages(messages)
