"""Stdlib HTTP servers that tests run in a thread of their own process."""

import threading

# shutdown() waits for serve_forever's next poll; at the standard 0.5 s the suite's servers
# spent about 4 s in all just stopping.
POLL_INTERVAL = 0.02


def serve_in_thread(server):
    """Start answering with server in a daemon thread; stop it with server.shutdown()."""
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": POLL_INTERVAL}, daemon=True
    ).start()
    return server
