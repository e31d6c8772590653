"""The real SMTP server (aiosmtpd) of the notification tests, for the round's e-mails."""

from tests.notifications.test_notifications import mail_configured, smtp_server

__all__ = ["mail_configured", "smtp_server"]
