"""`config show` as a table: the committee's name, then every setting."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sanjian_cli.messages import setting_label, setting_value, t
from sanjian_cli.render.tables import Pairs


def show(name: str, settings: Mapping[str, Any], lang: str) -> Pairs:
    """Each setting named in the reader's words with the key `config set` takes, 表决基数
    (pass-basis), and its value in the reader's words (实到人数)."""
    return [(t(lang, "col.committee_name"), name)] + [
        (setting_label(lang, k), setting_value(lang, k, v)) for k, v in settings.items()
    ]
