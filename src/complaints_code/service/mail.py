"""Mail through the SMTP server in the settings: acknowledgements with the
reference, and the accessible PDF for the email format. Without an SMTP host
nothing is sent (and the log says so, without the address)."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from ..settings import Settings

log = logging.getLogger("complaints_code.service.mail")


@dataclass(frozen=True)
class Attachment:
    """A file attached to a message."""

    filename: str
    media_type: str
    data: bytes


class MailError(Exception):
    """The SMTP server refused or could not be reached."""


def send(settings: Settings, to: str, subject: str, body: str,
         attachments: tuple[Attachment, ...] = (), reference: str = "") -> bool:
    """Send one message; False when no SMTP host is set. Raises MailError."""
    s = settings.service
    if not s.smtp_host:
        log.warning("no SMTP host set; mail about %s not sent", reference or "a request")
        return False
    message = EmailMessage()
    message["From"] = s.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    for item in attachments:
        main, sub = item.media_type.split("/", 1)
        message.add_attachment(item.data, maintype=main, subtype=sub, filename=item.filename)
    try:
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_user and s.smtp_password:
                smtp.login(s.smtp_user, s.smtp_password.get_secret_value())
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.error("mail about %s not sent: %s", reference or "a request", type(exc).__name__)
        raise MailError(f"the mail server did not take the message ({type(exc).__name__}); "
                        "check the service's smtp settings") from None
    log.info("mail about %s sent", reference or "a request")
    return True
