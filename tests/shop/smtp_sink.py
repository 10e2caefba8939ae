"""A local SMTP server for mail tests (aiosmtpd, in a thread of the test process): it keeps
every message it accepts, on a port of its own, and is started and stopped by the test."""

from __future__ import annotations

import email
import email.policy
import socket
from contextlib import closing
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class _Collector:
    messages: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((tuple(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class SmtpSink:
    """Nothing listens on `port` until start(): a client then gets 'Connection refused', as
    from a mail server that is down."""

    def __init__(self):
        self.port = free_port()
        self._collector = _Collector()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list:
        """(recipients, email.message.EmailMessage) of every message accepted so far."""
        return list(self._collector.messages)

    def start(self) -> SmtpSink:
        self._controller = Controller(self._collector, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
