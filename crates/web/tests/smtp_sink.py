"""A mail server for the tests: accepts on 127.0.0.1:PORT, appends each message it accepts to
OUT as one JSON line, and refuses the first REFUSALS messages with 451 (try again later)."""
import json
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out, refusals):
        self.out = out
        self.refusals = refusals

    async def handle_DATA(self, server, session, envelope):
        if self.refusals > 0:
            self.refusals -= 1
            # As real servers do, the refusal names the recipient.
            return f"451 4.3.0 <{envelope.rcpt_tos[0]}> try again later"
        with open(self.out, "a", encoding="utf-8") as f:
            content = envelope.content.decode("utf-8", "replace")
            f.write(json.dumps({"to": envelope.rcpt_tos, "data": content}) + "\n")
        return "250 2.0.0 accepted by the test sink"


def main():
    port, out, refusals = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    controller = Controller(Sink(out, refusals), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


main()
