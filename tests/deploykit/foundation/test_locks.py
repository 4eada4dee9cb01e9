"""deploykit.foundation.locks: a block held under a lock's name runs alone, whoever else wants it."""

import threading
import time

from deploykit.foundation.locks import exclusive


def test_a_second_holder_waits_until_the_first_has_finished(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    events = []

    def hold(who: str) -> None:
        with exclusive("shared-work"):
            events.append(f"{who} in")
            time.sleep(0.2)
            events.append(f"{who} out")

    first = threading.Thread(target=hold, args=("first",))
    first.start()
    time.sleep(0.05)
    hold("second")
    first.join()

    assert events == ["first in", "first out", "second in", "second out"]
