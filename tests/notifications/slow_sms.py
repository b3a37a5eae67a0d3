"""A slow SMS gateway for the integration tests: the worker runs it (``SMS_BACKEND``)
so that a test can kill the worker while a message is in flight.

Each send first appends the phone number to ``SMS_PROGRESS_FILE`` ("sending"), then
waits ``SLOW_SMS_SECONDS``, then writes the message as ``LogSmsBackend`` does ("sent").
A worker killed during the wait has begun a send that never happened.
"""

import os
import time

from notifications.sms import LogSmsBackend


class SlowSmsBackend(LogSmsBackend):
    def send(self, phone: str, text: str) -> None:
        with open(os.environ["SMS_PROGRESS_FILE"], "a", encoding="utf-8") as progress:
            progress.write(f"{phone}\n")
        time.sleep(float(os.environ.get("SLOW_SMS_SECONDS", "1")))
        super().send(phone, text)
