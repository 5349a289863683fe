"""`goalsheet`'s console entry ends the process without the interpreter's teardown (cli.exit_without_teardown):
the exit status, the atexit handlers and the flushed output are what `sys.exit` gives; only the freeing of
every object one by one is skipped, and with another thread still running it is a plain `sys.exit`."""
from __future__ import annotations

import subprocess
import sys

PROGRAM = r"""
import atexit, sys, threading, time
from goalsheet.cli import exit_without_teardown

class Freed:
    def __del__(self):
        sys.stdout.write(" freed")
        sys.stdout.flush()

kept = Freed()                      # freed by the teardown only
atexit.register(lambda: sys.stdout.write(" atexit"))
sys.stdout.write("buffered")        # still in the buffer: the flush must write it
if sys.argv[2] == "thread":
    threading.Thread(target=time.sleep, args=(0.2,)).start()
code = sys.argv[1]
exit_without_teardown(None if code == "None" else int(code) if code.isdigit() else code)
"""


def run(code: str, thread: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PROGRAM, code, thread], capture_output=True, text=True,
                          timeout=60)


def test_the_status_the_atexit_handlers_and_the_output_are_kept_and_the_teardown_is_skipped():
    r = run("3")
    assert r.returncode == 3
    assert r.stdout == "buffered atexit"          # no " freed": the teardown did not run


def test_no_code_is_success_and_a_message_is_printed_with_status_1():
    assert run("None").returncode == 0
    r = run("the input has errors")
    assert r.returncode == 1
    assert r.stderr.strip() == "the input has errors"
    assert r.stdout == "buffered atexit"


def test_with_another_thread_running_it_is_a_plain_exit():
    r = run("4", "thread")
    assert r.returncode == 4
    assert r.stdout == "buffered atexit freed"    # sys.exit: the thread joined, the teardown ran
