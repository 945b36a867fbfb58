"""`config show` as a table: the committee's name, then every setting as stored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sanjian_cli.messages import t
from sanjian_cli.render.tables import Pairs


def show(name: str, settings: Mapping[str, Any], lang: str) -> Pairs:
    return [(t(lang, "col.committee_name"), name)] + [(k, str(v)) for k, v in settings.items()]
