"""A child made by os.fork() (multiprocessing's "fork" start method) can clean after the parent
built its thread pools: pools are per process, rebuilt in the child."""

import multiprocessing
import os
import sys

import pytest

import deboil
from conftest import CREDIT_DOC

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32" or "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork"),
    pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning"),
]

TEXTS = [CREDIT_DOC, "Body text.\n\nAdvertisement\n\nMore body.\n", "Plain sentence, nothing else.\n"] * 20
CLEANER = None


def expected():
    return [c.text for c in CLEANER.clean_batch(TEXTS, jobs=1)]


def child_batch(jobs):
    # The parent's Cleaner, inherited through fork, and a new one compiled in the child.
    out = [c.text for c in CLEANER.clean_batch(TEXTS, jobs=jobs)]
    fresh = [c.text for c in deboil.Cleaner().clean_batch(TEXTS, jobs=jobs)]
    return os.getpid(), out, fresh


def test_clean_batch_after_fork():
    global CLEANER
    CLEANER = deboil.Cleaner()
    want = expected()
    # The parent uses its pools first, so their threads exist before the fork.
    assert [c.text for c in CLEANER.clean_batch(TEXTS)] == want
    assert [c.text for c in CLEANER.clean_batch(TEXTS, jobs=2)] == want
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2) as pool:
        results = pool.map_async(child_batch, [None, 2, 3, 1]).get(timeout=60)
    for pid, out, fresh in results:
        assert pid != os.getpid()
        assert out == want and fresh == want
    # And the parent's pools still work.
    assert [c.text for c in CLEANER.clean_batch(TEXTS, jobs=2)] == want


def test_raw_fork_child_exits_cleanly():
    cleaner = deboil.Cleaner()
    want = [c.text for c in cleaner.clean_batch(TEXTS)]
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            code = 0 if [c.text for c in cleaner.clean_batch(TEXTS)] == want else 2
        finally:
            os._exit(code)
    import time

    deadline = time.monotonic() + 60
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            pytest.fail("the forked child deadlocked in clean_batch")
        time.sleep(0.02)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
