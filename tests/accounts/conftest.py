from tests.reminders.conftest import mail_app, smtp  # noqa: F401 - the real SMTP server on loopback
