"""An SMTP handler for aiosmtpd that prints each message it accepts as one JSON line on
stdout, so a test reads the mail as it arrives:

    python3 -m aiosmtpd -n -l 127.0.0.1:<port> -c mail_sink.MailSink
"""
import json


class MailSink:
    async def handle_DATA(self, server, session, envelope):
        content = envelope.content
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        print(json.dumps({"from": envelope.mail_from, "to": envelope.rcpt_tos, "data": text}), flush=True)
        return "250 Message accepted for delivery"
