"""`files.file_verified`: a backup's state judged from its bytes, 64 KB at a time, as
`files.body_verified` judges the bytes in memory; `backups.holding` decodes only a file
laid out otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import decode_calls

from sanjian_cli.services.storage import POLICY
from sanjian_cli.store import backups, files


def _hot(path: Path, notes: int = 0) -> tuple[bytes, str]:
    """A hot file as sanjian writes it (with `notes` calendar entries in its `_meta`, to make
    it long), and its state."""
    data = {
        "_meta": {
            "1": {
                "schema": files.SCHEMA,
                "notes": {"calendar": [["2026-11-25", "19:00", "planned"]] * notes},
                "archives": {"2025": {"sha256": "ab" * 32}},
            }
        },  # fmt: skip
        "members": {"1": {"name": "张三", "side": "party"}},
        "meetings": {"1": {"date": "2025-11-05", "status": "closed", "votes": {"1": {}}}},
    }
    meta = data["_meta"]["1"]
    body = files.written_body(meta, data, POLICY.hot_bulk)
    raw = b"".join(files.payload_chunks(meta, body))
    path.write_bytes(raw)
    return raw, files.state_hash(body, meta["archives"])


@pytest.mark.parametrize("notes", [0, 4000])  # `_meta` within the first block, and beyond it
def test_the_bytes_as_written_hold_their_state(tmp_path, notes) -> None:
    path = tmp_path / "s.json"
    raw, state = _hot(path, notes)
    assert (len(raw) > 1 << 16) == bool(notes)
    data, _problem, _index = files.parse_indexed(raw)
    assert files.body_verified(raw, data, state)
    assert files.file_verified(path, state) is True
    assert files.file_verified(path, "0" * 64) is False
    assert files.holds_state(raw, state) and not files.holds_state(raw, "0" * 64)
    path.write_bytes(raw[:-1] + b" }")  # one byte more: another file
    assert files.file_verified(path, state) is False


def test_a_file_laid_out_otherwise_is_left_to_its_content(tmp_path) -> None:
    path = tmp_path / "s.json"
    raw, state = _hot(path)
    path.write_text(json.dumps(json.loads(raw), ensure_ascii=False, indent=1), encoding="utf-8")
    assert files.file_verified(path, state) is None
    path.write_bytes(b"")
    assert files.file_verified(path, state) is None


def test_holding_decodes_only_the_backups_laid_out_otherwise(tmp_path, monkeypatch) -> None:
    store = tmp_path / "s.json"
    folder = backups._folder(store, None)
    raw, state = _hot(folder / "000001.json")
    (folder / "000002.json").write_text(
        json.dumps(json.loads(raw), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    decoded = decode_calls(monkeypatch, files)
    assert backups.holding(store, state) == folder / "000001.json"  # by its bytes
    assert decoded == []
    (folder / "000001.json").unlink()
    assert backups.holding(store, state) is None  # the reformatted one is written otherwise
    assert len(decoded) == 1
