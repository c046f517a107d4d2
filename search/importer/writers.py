"""Who stores the batches an import reads: the reading thread itself, or writer threads.

Most of an import's time is the database computing search vectors and updating the GIN
index, one core per connection. Outside a transaction (the command, the Celery job),
``WRITERS`` threads store batches on connections of their own while the reading thread
parses the next ones, so every core works. Inside a caller's transaction (a request, a
test) the batches must see and join that transaction: they are stored inline.

Parallel batches never touch the same document: the reader refuses a key already used
earlier in the input, so two batches never hold the same key.
"""

from __future__ import annotations

import queue
import threading

from django.db import connection

from .store import Stored, store_batch

WRITERS = 2


class InlineWriter:
    def __init__(self, ids: dict):
        self.ids = ids
        self.done: list[Stored] = []

    def submit(self, rows) -> None:
        self.done.append(store_batch(rows, **self.ids))

    def results(self) -> list[Stored]:
        done, self.done = self.done, []
        return done

    def close(self, *, abort: bool = False) -> None:
        pass


class ThreadedWriter:
    """Writer threads fed through a short queue (the reader waits when they fall
    behind). The first failure of a thread stops the others after their current
    batch and is raised in the reader at its next ``submit`` or at ``close``."""

    def __init__(self, ids: dict, writers: int = WRITERS):
        self.ids = ids
        self.tasks: queue.Queue = queue.Queue(maxsize=writers)
        self.done: queue.Queue = queue.Queue()
        self.failure: BaseException | None = None
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(target=self._work, name=f"library-writer-{n}", daemon=True)
            for n in range(writers)
        ]
        for thread in self.threads:
            thread.start()

    def _work(self) -> None:
        try:
            while (rows := self.tasks.get()) is not None:
                if self.stop.is_set():
                    continue
                try:
                    self.done.put(store_batch(rows, **self.ids))
                except BaseException as error:  # noqa: BLE001 - handed to the reader
                    self.failure = self.failure or error
                    self.stop.set()
        finally:
            connection.close()  # this thread's own connection

    def _raise_failure(self) -> None:
        if self.failure is not None:
            raise self.failure

    def submit(self, rows) -> None:
        self._raise_failure()
        self.tasks.put(rows)

    def results(self) -> list[Stored]:
        done = []
        while True:
            try:
                done.append(self.done.get_nowait())
            except queue.Empty:
                return done

    def close(self, *, abort: bool = False) -> None:
        """Wait for the threads to store what was submitted (or, with ``abort``, only
        the batches they are storing); raise a thread's failure."""
        if abort:
            self.stop.set()
        for _thread in self.threads:
            self.tasks.put(None)
        for thread in self.threads:
            thread.join()
        if not abort:
            self._raise_failure()


def open_writer(ids: dict) -> InlineWriter | ThreadedWriter:
    if connection.in_atomic_block or WRITERS < 2:
        return InlineWriter(ids)
    return ThreadedWriter(ids)
