"""Bounds on one input's work: time, and how many segments a page may have.

``time_limit`` stops a page that takes too long with an :class:`InputError`,
so a batch goes on past it.  It uses the process's real-time timer, which only
the main thread can set: elsewhere (a worker thread) it does nothing, and a
caller there bounds time its own way.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

from .segment.decode import InputError

#: a page with more segments than this is refused before features are built: memory grows with segments
#: (about 20 KB a segment in featurize and the revise stage), so this keeps a page's peak near 0.6 GiB
MAX_SEGMENTS = 30_000
#: default seconds one input may take (decode, segment, score)
TIMEOUT = 30.0


class _Expired(InputError):
    """The time limit's own error: an :class:`InputError`, wherever the signal happens to raise it."""


@contextmanager
def time_limit(seconds: float | None, what: str = "input", limit: float | None = None) -> Iterator[None]:
    """Raise :class:`InputError` if the block runs longer than ``seconds`` (None or 0: no limit).

    ``limit``: the whole limit the message names, where ``seconds`` is what is left of it.
    """
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        yield
        return
    if signal.getitimer(signal.ITIMER_REAL)[0] > 0:  # a limit is already running (an outer one): it holds
        yield
        return

    message = f"{what} took longer than {limit or seconds:g} s (the time limit)"

    def expire(signum, frame):
        raise _Expired(message)

    old = signal.signal(signal.SIGALRM, expire)
    # and again every quarter second after: an exception raised where Python cannot pass it on (in a garbage
    # collector callback, a finalizer) is dropped, and the next expiry stops the input
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.25)
    try:
        yield
    except _Expired as exc:
        raise InputError(str(exc)) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def check_segments(n: int, limit: int = MAX_SEGMENTS) -> None:
    if n > limit:
        raise InputError(f"too many segments ({n:,} > {limit:,}): not scored, to bound memory")
