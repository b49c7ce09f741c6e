"""Cancelling a PDF batch leaves no file, not even a temporary one."""

from __future__ import annotations

from pathlib import Path

import pytest
from jobs_helpers import StopAfter

from ca_desktop.domain.jobs import Cancelled
from ca_desktop.forms.loader import all_forms
from ca_desktop.forms.printing import print_forms


def test_cancelled_batch_writes_no_file(tmp_path: Path) -> None:
    form = all_forms()[0]
    out = tmp_path / "batch.pdf"
    progress = StopAfter(2)
    with pytest.raises(Cancelled):
        print_forms(None, form, [None] * 5, out, progress=progress)
    assert progress.seen == [(1, 5), (2, 5), (3, 5)]
    assert list(tmp_path.iterdir()) == []
    assert print_forms(None, form, [None] * 2, out, progress=StopAfter(2)) >= 2
    assert out.read_bytes().startswith(b"%PDF")
