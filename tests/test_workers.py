"""The lock the two test workers share around builds from the checkout (tests/workers.py)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from workers import checkout_lock, lock_path

HERE = Path(__file__).resolve().parent

#: Another process holding the checkout as a worker would, until its stdin is closed.
_HOLDER = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from workers import checkout_lock

class Factory:  # the one method of pytest's TempPathFactory that checkout_lock uses
    def getbasetemp(self):
        return Path(sys.argv[2])

with checkout_lock(Factory()):
    print("held", flush=True)
    sys.stdin.read()
print("released", flush=True)
"""


def test_checkout_lock_keeps_another_process_waiting_until_it_is_released(tmp_path_factory):
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(HERE), str(tmp_path_factory.getbasetemp())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    got_in = threading.Event()

    def wait_for_the_checkout() -> None:
        with checkout_lock(tmp_path_factory):
            got_in.set()

    try:
        assert holder.stdout.readline().strip() == "held"
        waiter = threading.Thread(target=wait_for_the_checkout, daemon=True)
        waiter.start()
        assert not got_in.wait(1.0), "a second holder got the checkout while the first held it"
        holder.stdin.close()  # the first holder finishes its build
        assert got_in.wait(30), "the checkout was never handed over after the first holder let go"
        waiter.join(30)
        assert holder.wait(30) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
    assert lock_path(tmp_path_factory).exists()
