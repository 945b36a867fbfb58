"""The store: the one owner of the committee's files.

The record is a UTF-8 JSON file in TinyDB's layout (`{table: {id: document}}`), the *hot
file*, and beside it one archive file per closed year, an audit log, a backup set and a
lock note. The rest of sanjian uses only the names below: a `Store` opened for reading or
for one change hands out a `Record`; a `StorePolicy` (implemented by the domain, see
`services/storage.py`) tells the store what it must know of the committee.

Inside: `paths` (where things live), `files` (parsing, hashing, atomic writes), `lock`,
`archive` (yearly archives), `record` (`Record`), `audit` (the log), `backups`,
`migrations`, `commit` (one change reaching disk, all or nothing), `reading`, `restore`
(restore and adopt), `front` (`Store`), `policy`.
"""

from sanjian_cli.errors import Busy, StoreError
from sanjian_cli.store.files import Parts, whoami
from sanjian_cli.store.front import Inspection, Store
from sanjian_cli.store.paths import archive_dir, backup_dir, default_path, lock_path, log_path
from sanjian_cli.store.policy import StorePolicy
from sanjian_cli.store.record import Record

__all__ = [
    "Busy",
    "Inspection",
    "Parts",
    "Record",
    "Store",
    "StoreError",
    "StorePolicy",
    "archive_dir",
    "backup_dir",
    "default_path",
    "lock_path",
    "log_path",
    "whoami",
]
