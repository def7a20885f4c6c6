"""Send a report by e-mail through the SMTP server the settings name."""

from __future__ import annotations

import os
import smtplib
from email.message import EmailMessage

from ccw.report.weekly import Report

PASSWORD_ENVIRONMENT = "CCW_SMTP_PASSWORD"


class MailNotConfiguredError(RuntimeError):
    """The settings name no SMTP server or no recipient."""


def mail_configured(settings, recipients: str = "report_recipients") -> bool:
    """An SMTP server and someone to send to (the setting ``recipients`` names)."""
    return bool(settings["smtp_host"] and settings[recipients])


def message(report: Report, sender: str, recipients: list[str]) -> EmailMessage:
    """Plain text for any reader, HTML with its images inside the message for the rest
    (cid: references, which mail programs show where data: images are blocked)."""
    mail = EmailMessage()
    mail["Subject"] = report.subject
    mail["From"] = sender
    mail["To"] = ", ".join(recipients)
    mail.set_content(report.summary)
    mail.add_alternative(report.html, subtype="html")
    page = mail.get_payload()[1]
    for name, png in report.images.items():
        page.add_related(
            png, maintype="image", subtype="png", cid=f"<{name}>", filename=f"{name}.png"
        )
    return mail


def send_report(report: Report, settings, recipients: str = "report_recipients") -> list[str]:
    """Send ``report`` to the addresses of the setting ``recipients``; returns them."""
    if not mail_configured(settings, recipients):
        raise MailNotConfiguredError(
            f"No e-mail sent: set smtp_host and {recipients} in the settings file "
            "(docs/operations.md)."
        )
    addresses = list(settings[recipients])
    mail = message(report, settings["report_sender"], addresses)
    with smtplib.SMTP(settings["smtp_host"], settings["smtp_port"], timeout=60) as server:
        if settings["smtp_starttls"]:
            server.starttls()
        if settings["smtp_username"]:
            server.login(settings["smtp_username"], os.environ.get(PASSWORD_ENVIRONMENT, ""))
        server.send_message(mail)
    return addresses
