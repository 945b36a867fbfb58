"""Roster import: a spreadsheet's rows made into members, as one change.

The sheet's rows come in as plain cells (read by `render.sheets`). Here:
- the header row is found (the first of the top rows naming a 姓名/name column) and each
  header is matched to a member's field, in Chinese or English;
- each row's cells become values (是/否, 有/无, 政工/社工/志愿者, real dates or date text);
- each row is matched to a current member: by name, and by phone when a name repeats (in
  the roster or in the sheet); a match is updated, anything else is added;
- the whole plan is applied to the record through `members.add` and `members.edit`, so the
  roster's rules (one lead per side, sides, names) are theirs, checked row by row; every
  row they refuse is named with its row number and why.

`apply` changes the record in memory only; the caller decides whether to save it (one
`Store.writing` block: all rows or none) or to drop it (a dry run inside `Store.reading`).
A blank cell keeps what the member has (a new member gets the defaults of `member add`);
the joining day is taken for new members only, since it decides who was 应到 at meetings
already held. Members missing from the sheet are left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sanjian_cli.domain import vocab
from sanjian_cli.errors import BadInput, Refused, SanjianError
from sanjian_cli.services import members, rolls
from sanjian_cli.store import Record

FIELDS = ("name", "side", "lead", "voting", "org", "phone", "joined")
HEADER_ROWS = 10  # the header is looked for in the sheet's first rows (a title may come first)

# Header words, normalised (see `_norm_head`): Chinese as community offices write them, and
# English. "non_voting" is the 列席 column, the opposite of 表决权.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "成员姓名", "成员", "name", "fullname", "membername", "member"),
    "side": ("方面", "类别", "所属方面", "身份", "类型", "成员类别", "三工类别", "side",
             "category", "type"),
    "lead": ("主要负责人", "是否主要负责人", "负责人", "是否负责人", "lead", "islead", "leader",
             "principal"),
    "voting": ("表决权", "是否有表决权", "有无表决权", "有表决权", "voting", "vote", "hasvote",
               "votingmember"),
    "non_voting": ("列席", "是否列席", "列席人员", "nonvoting", "observer"),
    "org": ("单位", "工作单位", "所在单位", "所属单位", "单位名称", "组织", "机构", "单位或组织",
            "org", "organisation", "organization", "unit", "affiliation"),
    "phone": ("电话", "联系电话", "手机", "手机号", "手机号码", "电话号码", "联系方式", "phone",
              "mobile", "tel", "telephone", "phonenumber"),
    "joined": ("加入日期", "加入时间", "入会日期", "加入", "joined", "joindate", "datejoined",
               "joinedon"),
}  # fmt: skip
_FIELD_OF = {word: key for key, words in HEADERS.items() for word in words}

YES = ("是", "有", "对", "√", "✓", "✔", "☑", "y", "yes", "true", "1", "是的")
NO = ("否", "无", "没有", "不是", "非", "×", "✗", "✘", "n", "no", "false", "0")
BLANK = ("-", "—", "－", "/", "／", "--", "——")
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


class ImportRefused(Refused):
    """Rows were refused, so nothing is imported; `plan` says which and why."""

    def __init__(self, plan: Plan) -> None:
        super().__init__("import.refused", n=len(plan.refused))
        self.plan = plan


@dataclass
class Outcome:
    """What one row does: add, update, same (nothing to change) or refused (`error`)."""

    row: int
    name: str
    action: str
    member_id: int | None = None
    member: dict[str, Any] | None = None  # the member as the row leaves it
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field: (was, is)
    error: SanjianError | None = None


@dataclass
class Plan:
    source: str
    sheet: str | None
    header_row: int
    heads: dict[str, str]  # field: the header as the sheet writes it
    ignored: list[str]
    outcomes: list[Outcome]
    applied: bool = False

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def refused(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == "refused"]


@dataclass
class _Row:
    row: int
    values: dict[str, Any]
    error: SanjianError | None = None


# -- headers ----------------------------------------------------------------------------------
def _norm_head(value: Any) -> str:
    text = str(value).strip().lower()
    text = re.sub(r"[（(][^）)]*[）)]", "", text)  # 电话（手机） -> 电话
    return re.sub(r"[\s\u3000*＊:：_\-]", "", text)


def _columns(rows: Sequence[tuple[int, Sequence[Any]]]) -> tuple[int, dict[str, int], list[str]]:
    """The header row's number, field -> column index, and the headers not used; raises
    when no header row names a 姓名/name column or two columns name the same field."""
    for number, cells in rows[:HEADER_ROWS]:
        fields = [_FIELD_OF.get(_norm_head(c)) if c is not None else None for c in cells]
        if "name" not in fields:
            continue
        found: dict[str, int] = {}
        slots: dict[str, int] = {}  # 表决权 and 列席 are one field, said two ways
        ignored = []
        for col, key in enumerate(fields):
            if key is None:
                if cells[col] is not None:
                    ignored.append(str(cells[col]).strip())
                continue
            slot = "voting" if key == "non_voting" else key
            if slot in slots:
                raise BadInput("import.duplicate_column", first=str(cells[slots[slot]]).strip(),
                               second=str(cells[col]).strip())  # fmt: skip
            slots[slot] = found[key] = col
        return number, found, ignored
    raise BadInput("import.no_name_column", rows=HEADER_ROWS)


# -- cells ------------------------------------------------------------------------------------
def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number Excel kept as a number
    if isinstance(value, datetime):
        value = value.date()
    text = str(value).strip()
    return None if not text or text in BLANK else text


def _yes_no(value: Any, head: str) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value)
    if text is None:
        return None
    key = text.lower()
    if key in YES:
        return True
    if key in NO:
        return False
    raise BadInput("import.bad_yes_no", column=head, value=text)


def _voting(value: Any, head: str, inverted: bool) -> bool | None:
    """表决权 (yes = votes) or 列席 (yes = attends without a vote); the word 列席 itself in
    either column means no vote."""
    text = _text(value)
    if text in ("列席", "列席人员"):
        return False
    if not inverted and text in ("表决", "正式", "正式成员"):
        return True
    answer = _yes_no(value, head)
    return None if answer is None else answer != inverted


def _side(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return vocab.side(re.sub(r"\s+", "-", text))
    except BadInput:
        raise BadInput("import.bad_side", value=text) from None


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or isinstance(value, (int, float)):
        raise BadInput("import.bad_date", value=_text(value) or str(value))
    text = _text(value)
    if text is None:
        return None
    found = _DATE_TEXT.match(text) or _DATE_DIGITS.match(text)
    if found:
        try:
            return date(*(int(g) for g in found.groups()))
        except ValueError:
            pass
    raise BadInput("import.bad_date", value=text)


def _cell(cells: Sequence[Any], col: int | None) -> Any:
    return cells[col] if col is not None and col < len(cells) else None


def _read_row(number: int, cells: Sequence[Any], columns: dict[str, int],
              heads: dict[str, str]) -> _Row:  # fmt: skip
    def cell(key: str) -> Any:
        return _cell(cells, columns.get(key))

    name = _text(cell("name")) or ""
    row = _Row(number, {"name": name})
    try:
        if not name:
            raise BadInput("empty_name")
        values = row.values
        values["side"] = _side(cell("side"))
        values["lead"] = _yes_no(cell("lead"), heads.get("lead", ""))
        if "non_voting" in columns:
            values["voting"] = _voting(cell("non_voting"), heads["non_voting"], True)
        else:
            values["voting"] = _voting(cell("voting"), heads.get("voting", ""), False)
        values["org"] = _text(cell("org"))
        values["phone"] = _text(cell("phone"))
        values["joined"] = _date(cell("joined"))
    except SanjianError as exc:
        row.error = exc
    return row


# -- matching ---------------------------------------------------------------------------------
def digits(phone: Any) -> str:
    return re.sub(r"\D", "", str(phone or ""))


def current(record: Record, today: date) -> list[dict[str, Any]]:
    """The members an import can match and an export lists: all but those who have left."""
    return [m for m in record.members() if not (m.get("retired") and m["retired"] < str(today))]


def _targets(rows: list[_Row], roster: list[dict[str, Any]]) -> dict[int, dict[str, Any] | None]:
    """Row number -> the member it updates (None: a new member). A row that cannot be
    matched gets its `error` set instead."""
    by_name: dict[str, list[dict[str, Any]]] = {}
    for m in roster:
        by_name.setdefault(m["name"], []).append(m)
    rows_of: dict[str, list[_Row]] = {}
    for r in rows:
        if r.error is None:
            rows_of.setdefault(r.values["name"], []).append(r)
    targets: dict[int, dict[str, Any] | None] = {}
    for name, group in rows_of.items():
        known = by_name.get(name, [])
        if len(known) <= 1 and len(group) == 1:
            targets[group[0].row] = known[0] if known else None
            continue
        # The name repeats: the phone tells the people apart.
        blank = [m for m in known if not digits(m.get("phone"))]
        seen: dict[str, int] = {}
        first_blank: int | None = None
        for r in group:
            key = digits(r.values.get("phone"))
            if not key:
                if first_blank is not None:
                    r.error = BadInput("import.duplicate_row", row=first_blank)
                else:
                    first_blank = r.row
                    r.error = BadInput("import.needs_phone", name=name)
                continue
            if key in seen:
                r.error = BadInput("import.duplicate_row", row=seen[key])
                continue
            seen[key] = r.row
            matches = [m for m in known if digits(m.get("phone")) == key]
            if matches:
                targets[r.row] = matches[0]
            elif blank:
                r.error = Refused("import.phone_unknown", name=name, id=blank[0]["id"])
            else:
                targets[r.row] = None
    return targets


# -- the plan ---------------------------------------------------------------------------------
def apply(record: Record, tables: Sequence[tuple[str | None, Sequence[tuple[int, Sequence[Any]]]]],
          today: date, source: str) -> Plan:  # fmt: skip
    """Read the first sheet of `tables` that has a 姓名/name header and apply its rows to
    `record` (in memory). Every row's outcome is in the plan; refused rows change nothing."""
    chosen = None
    for sheet, rows in tables:
        try:
            chosen = (sheet, rows, _columns(rows))
            break
        except BadInput as exc:
            if exc.key != "import.no_name_column":
                raise
    if chosen is None:
        raise BadInput("import.no_name_column", rows=HEADER_ROWS)
    sheet, rows, (header_row, columns, ignored) = chosen
    header_cells = next(cells for number, cells in rows if number == header_row)
    heads = {key: str(header_cells[col]).strip() for key, col in columns.items()}
    # A row with nothing in the columns read (a template's numbered empty rows, a footer
    # such as 填表人 under 序号) carries no member and is passed over.
    parsed = [
        _read_row(n, cells, columns, heads)
        for n, cells in rows
        if n > header_row and any(_text(_cell(cells, c)) is not None for c in columns.values())
    ]
    if not parsed:
        raise BadInput("import.empty", path=source)
    targets = _targets(parsed, current(record, today))
    # member id -> the row that names it, to say "row 3" rather than "member #12" when two
    # rows of the sheet want the same side's lead.
    row_of = {m["id"]: n for n, m in targets.items() if m is not None}
    outcomes: dict[int, Outcome] = {}
    updates: list[tuple[_Row, dict[str, Any], dict[str, Any]]] = []
    adds: list[_Row] = []
    for r in parsed:
        name = r.values["name"]
        if r.error is not None:
            outcomes[r.row] = Outcome(r.row, name, "refused", error=r.error)
            continue
        target = targets[r.row]
        if target is None:
            adds.append(r)
            continue
        changes = _changes(target, r.values)
        if not changes:
            outcomes[r.row] = Outcome(r.row, name, "same", target["id"], _shape(target))
        else:
            updates.append((r, target, changes))
    # Leads stepping down first: a sheet that moves a side's lead from one member to another
    # is one change, whichever row comes first.
    updates.sort(key=lambda u: u[2].get("lead", (None, None))[1] is not False)
    if updates or adds:
        # 应到 of the meetings held so far is fixed once, from the roster before the import,
        # not again for every row (each pass reads every meeting). A new member can change
        # only the meetings from their joining day on; a change of voting, every meeting.
        rolls.pin_rolls(record, since=_first_affected(updates, adds, today))
    # Older members get their pinyin after the first row that changes the roster, as that
    # row alone would give it them; once, not after every row (each pass reads everyone).
    filled = False
    for r, target, changes in updates:
        try:
            new = {k: v for k, (_was, v) in changes.items()}
            after = members.edit(record, target, new, today, pin=False)
            if not filled:
                members.fill_pinyin(record)
                filled = True
            outcomes[r.row] = Outcome(r.row, r.values["name"], "update", target["id"],
                                      _shape(after), changes)  # fmt: skip
        except SanjianError as exc:
            outcomes[r.row] = _refused(r, exc, row_of)
    for r in adds:
        v = r.values
        try:
            if v["side"] is None:
                raise BadInput("import.no_side")
            member = members.add(
                record,
                name=v["name"],
                side=v["side"],
                lead=bool(v["lead"]),
                voting=v["voting"] is not False,
                org=v["org"],
                phone=v["phone"],
                joined=v["joined"] or today,
                # A row matched to nobody is a new person, whatever their name: the match
                # (by name, and by phone when a name repeats) already told them apart.
                same_name=True,
                pin=False,
            )
            if not filled:
                members.fill_pinyin(record)
                filled = True
            row_of[member["id"]] = r.row
            outcomes[r.row] = Outcome(r.row, v["name"], "add", member["id"], _shape(member))
        except SanjianError as exc:
            outcomes[r.row] = _refused(r, exc, row_of)
    return Plan(
        source=source,
        sheet=sheet,
        header_row=header_row,
        heads={k: heads[k] for k in sorted(heads, key=_field_order)},
        ignored=ignored,
        outcomes=[outcomes[r.row] for r in parsed],
    )


def _first_affected(
    updates: Sequence[tuple[_Row, dict[str, Any], dict[str, Any]]], adds: Sequence[_Row],
    today: date,
) -> str | None:  # fmt: skip
    """The first day whose 应到 the import's rows could change (as `members.add` and `edit`
    pin it): the earliest joining day of a row added; None (every day) when a row changes
    whether a member votes."""
    if any("voting" in changes for _r, _target, changes in updates):
        return None
    days = [(r.values["joined"] or today).isoformat() for r in adds]
    return min(days) if days else today.isoformat()


def _field_order(key: str) -> int:
    return FIELDS.index("voting" if key == "non_voting" else key)


def require_clean(plan: Plan) -> None:
    """All or nothing: refuse the whole import when any row was refused."""
    if plan.refused:
        raise ImportRefused(plan)


def _refused(r: _Row, exc: SanjianError, row_of: dict[int, int]) -> Outcome:
    if exc.key == "lead_taken" and exc.params.get("id") in row_of:
        # The side's lead is on another row of this sheet: name the row.
        exc = Refused("import.lead_twice", row=row_of[exc.params["id"]],
                      name=exc.params["name"], side=exc.params["side"])  # fmt: skip
    return Outcome(r.row, r.values["name"], "refused", error=exc)


def _shape(member: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": member["name"],
        "side": member["side"],
        "lead": bool(member.get("lead")),
        "voting": bool(member.get("voting", True)),
        "org": member.get("org") or None,
        "phone": member.get("phone") or None,
        "joined": member.get("joined"),
    }


def _changes(member: dict[str, Any], values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """What the row changes on `member`; blank cells change nothing."""
    changes: dict[str, tuple[Any, Any]] = {}
    if values["side"] is not None and values["side"] != member["side"]:
        changes["side"] = (member["side"], values["side"])
    for key in ("lead", "voting"):
        was = bool(member.get(key, key == "voting"))
        if values[key] is not None and values[key] != was:
            changes[key] = (was, values[key])
    org = values["org"]
    if org is not None and org != (member.get("org") or ""):
        changes["org"] = (member.get("org") or None, org)
    phone = values["phone"]
    if phone is not None and digits(phone) != digits(member.get("phone")):
        changes["phone"] = (member.get("phone") or None, phone)
    return changes
