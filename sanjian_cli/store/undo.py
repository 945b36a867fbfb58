"""`sanjian undo`, behind the store's front: what each change replaced, kept in its log
entry, and putting it back.

Every log entry of a change holds `undo`, one item per document the change touched:

- `{"table", "id", "op": "add", "sha"}`: the document was added; `sha` is the digest of the
  document as added, to see whether it has been changed since;
- `{"table", "id", "op": "remove", "doc"}`: the document was removed, as it was;
- `{"table", "id", "op": "change", "old", "keys", "sha"}`: the fields `keys` changed;
  `old` holds their values before (a key missing from `old` did not exist), `sha` the
  digest of their values after.

Reverting a change applies these backwards. It is refused (StoreError) when a document it
would put back has been changed since, when the record was changed outside sanjian (the
record's hash no longer matches the last log entry), when the change is a restore, or when
it was logged by an older sanjian without `undo`. Undo is a stack: the change reverted is
the newest one that is neither an undo nor already undone, so undo twice reverts the last
two changes.

A meeting's trail of amendments (`amendments`) is never reverted: it is what the minutes
say about how they were changed, and an undo of an amended change adds to it instead.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sanjian_cli.errors import StoreError

# A `store.record.Record`, named here and not imported: the Record calls into this
# module, so an import back would be a cycle.
Record = Any

Data = dict[str, Any]

# Fields never reverted (nor compared): the record of how a meeting was amended.
KEPT: dict[str, tuple[str, ...]] = {"meetings": ("amendments",)}


def _digest(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _values(doc: Data, keys: list[str]) -> dict[str, list[Any]]:
    """The values of `keys` in `doc`, each in a list (an empty list: the key is absent)."""
    return {k: ([doc[k]] if k in doc else []) for k in keys}


def _kept(table: str, doc: Data) -> Data:
    kept = KEPT.get(table, ())
    return {k: v for k, v in doc.items() if k not in kept}


def payload(before: Data, after: Data, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a change from `before` to `after` (TinyDB layouts) replaced, for its log entry;
    `changes` is its audit diff (`audit.diff`), which names the documents it touched."""
    items: list[dict[str, Any]] = []
    for change in changes:
        table, key = change["table"], str(change["id"])
        a, b = (before.get(table) or {}).get(key), (after.get(table) or {}).get(key)
        item: dict[str, Any] = {"table": table, "id": int(key)}
        if a is None and b is not None:
            item.update(op="add", sha=_digest(_kept(table, b)))
        elif b is None and a is not None:
            item.update(op="remove", doc=a)
        elif a is not None and b is not None:
            every = [*a, *(k for k in b if k not in a)]
            keys = [k for k in every if k not in a or k not in b or a[k] != b[k]]
            compared = [k for k in keys if k not in KEPT.get(table, ())]
            item.update(
                op="change",
                keys=keys,
                old={k: a[k] for k in keys if k in a},
                sha=_digest(_values(b, compared)),
            )
        else:
            continue
        items.append(item)
    return items


def _committed(record: Record) -> list[dict[str, Any]]:
    """The entries of the log that the store belongs to, oldest first."""
    from sanjian_cli.store import audit

    path = record.store_path
    if path is None:
        return []
    last = record.meta.get("log_n")
    found = audit.entries(path)
    return [e for e in found if not isinstance(last, int) or int(e.get("n", 0)) <= last]


def target(record: Record) -> dict[str, Any] | None:
    """The log entry `undo` reverts now, or None when there is nothing to undo. Refuses
    (StoreError) a record changed outside sanjian, a restore and an entry without `undo`."""
    entries = _committed(record)
    if entries and not record.disk_holds(entries[-1].get("state")):
        raise StoreError("undo_outside", n=entries[-1].get("n"))
    undone = {e.get("undoes") for e in entries if e.get("undoes") is not None}
    for entry in reversed(entries):
        if entry.get("undoes") is not None or entry.get("n") in undone:
            continue
        if entry.get("restored_from"):
            raise StoreError("undo_restore", n=entry.get("n"), path=entry["restored_from"])
        if not entry.get("changes"):
            continue  # a move to the archives, or an upgrade of the schema, alone
        if "undo" not in entry:
            raise StoreError("undo_unknown", n=entry.get("n"), command=_command(entry))
        return entry
    return None


def _command(entry: dict[str, Any]) -> str:
    return " ".join(str(a) for a in entry.get("command") or [])


def changed_since(record: Record, entry: dict[str, Any]) -> list[str]:
    """The documents `entry` touched that are no longer as it left them (`table/id`)."""
    found = []
    for item in entry.get("undo") or []:
        table, key = item["table"], str(item["id"])
        doc = record.document(table, key)
        op = item.get("op")
        if op == "add":
            same = doc is not None and _digest(_kept(table, doc)) == item.get("sha")
        elif op == "remove":
            same = doc is None
        else:
            keys = [k for k in item.get("keys", []) if k not in KEPT.get(table, ())]
            same = doc is not None and _digest(_values(doc, keys)) == item.get("sha")
        if not same:
            found.append(f"{table}/{key}")
    return found


def revert(record: Record, entry: dict[str, Any]) -> list[tuple[str, int]]:
    """Put back what `entry` replaced; returns the documents touched, as (table, id)."""
    touched = []
    for item in reversed(entry.get("undo") or []):
        table, doc_id = item["table"], int(item["id"])
        op = item.get("op")
        if op == "add":
            record.remove_document(table, doc_id)
        elif op == "remove":
            record.put_document(table, doc_id, item["doc"])
        else:
            kept = KEPT.get(table, ())
            keys = [k for k in item.get("keys", []) if k not in kept]
            old = item.get("old") or {}
            fields = {k: old[k] for k in keys if k in old}
            record.patch_document(table, doc_id, fields, [k for k in keys if k not in old])
        touched.append((table, doc_id))
    return touched
