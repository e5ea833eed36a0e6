"""The S3 spool on a real file system: what happens when its threads and crawls meet."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from newscrawl.delivery.feeds.spool import Spool

if TYPE_CHECKING:
    from pathlib import Path


def test_a_batch_opens_while_a_finished_upload_tidies_its_directory_away(tmp_path: Path) -> None:
    # An upload thread removes its file and then the directories left empty, while the crawl opens
    # its next batch in that same directory: the batch must open every time.
    spool = Spool(tmp_path / "spool")
    uploaded = spool.root / "bucket" / "kabar" / "demo" / "uploaded.jsonl"  # its parents go with it
    done = threading.Event()

    def finish_uploads() -> None:
        while not done.is_set():
            spool.remove(uploaded)

    tidier = threading.Thread(target=finish_uploads)
    tidier.start()
    failures: list[str] = []
    try:
        for number in range(3000):
            try:
                path, file = spool.open_part(f"s3://bucket/kabar/demo/run-{number:05d}.jsonl")
            except OSError as exc:
                failures.append(f"batch {number}: {exc}")
                continue
            file.write(b"{}\n")
            file.close()
            path.unlink()
    finally:
        done.set()
        tidier.join()
        spool.close()
    assert failures == []
