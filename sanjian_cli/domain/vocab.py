"""The one vocabulary: every enumerated value, its Chinese and English words, what users may type.

Each value has a stable English key (stored, and used in JSON), a word to show in each
language, and the names accepted as input: the key, both display words and the aliases listed
here, so whatever is shown can be typed back. `pick(kind, text)` reads one; `word(lang, kind,
key)` shows one; `words(lang, kind)` lists a kind's choices for a message or the help.
"""

from __future__ import annotations

from sanjian_cli.errors import BadInput


# Plain classes rather than dataclasses: shell completion imports this module, and the
# dataclasses machinery costs more than the rest of a TAB.
class Word:
    __slots__ = ("key", "zh", "en", "aliases")

    def __init__(self, key: str, zh: str, en: str, aliases: tuple[str, ...] = ()) -> None:
        self.key, self.zh, self.en, self.aliases = key, zh, en, aliases


class Kind:
    """A kind of value: what a message calls it (方面, 类别 ...), its words, and which of them
    may be typed (a display-only kind, such as every status, has fewer)."""

    __slots__ = ("zh", "en", "words", "typed")

    def __init__(
        self, zh: str, en: str, words: tuple[Word, ...], typed: tuple[str, ...] | None = None
    ) -> None:
        self.zh, self.en, self.words, self.typed = zh, en, words, typed


def _w(key: str, zh: str, en: str, *aliases: str) -> Word:
    return Word(key, zh, en, aliases)


KINDS: dict[str, Kind] = {
    "side": Kind("方面", "side", (
        _w("cadre", "政工", "cadre", "政工干部", "干部"),
        _w("social-worker", "社工", "social worker", "socialworker", "social_worker", "社会工作者"),
        _w("volunteer", "志愿者", "volunteer", "志愿者代表"),
    )),
    "category": Kind("类别", "category", (
        _w("politics", "政治", "politics", "政治建设", "党建"),
        _w("economy", "经济", "economy", "经济发展"),
        _w("culture", "文化建设", "culture", "文化"),
        _w("environment", "社区环境", "environment", "环境"),
        _w("welfare", "福利保障", "welfare", "福利", "民生"),
        _w("plan", "治理方案", "governance plan", "方案", "治理", "governance"),
        _w("project", "项目监督评估", "project review", "项目", "项目监督", "项目评估"),
        _w("other", "其他", "other", "其它"),
    )),
    "method": Kind("表决方式", "method", (
        _w("hands", "举手表决", "show of hands", "举手"),
        _w("roll-call", "唱名表决", "roll call", "rollcall", "口头", "口头表决", "唱名"),
        _w("ballot", "无记名投票", "secret ballot", "无记名", "投票", "票决"),
    )),
    "outcome": Kind("表决结果", "outcome", (
        _w("passed", "通过", "passed"),
        _w("failed", "未通过", "failed"),
        _w("deferred", "暂缓", "deferred"),
        _w("referred", "报上级", "referred"),
        _w("carried", "顺延", "carried over"),
    )),
    # Every status any record shows: topics, meetings, decision items.
    "status": Kind("状态", "status", (
        _w("proposed", "征集中", "proposed"),
        _w("accepted", "已确定待议", "accepted", "待议", "已确定"),
        _w("scheduled", "已列入议程", "scheduled", "已排期", "列入议程"),
        _w("passed", "通过", "passed", "已通过"),
        _w("failed", "未通过", "failed"),
        _w("referred", "报上级", "referred", "已报上级"),
        _w("rejected", "未采纳", "rejected", "不予采纳"),
        _w("withdrawn", "已撤回", "withdrawn", "撤回"),
        _w("planned", "待开", "planned"),
        _w("closed", "已结束", "closed"),
        _w("skipped", "已取消", "skipped"),
        _w("open", "办理中", "open"),
        _w("done", "已办结", "done", "办结"),
    ), typed=(
        "proposed", "accepted", "scheduled", "passed", "failed", "referred", "rejected",
        "withdrawn",
    )),
    # Settings: what 过半数 is counted of, and how much is needed.
    "basis": Kind("表决基数", "pass basis", (
        _w("expected", "应到人数", "members expected", "应到"),
        _w("present", "实到人数", "members present", "实到"),
        _w("cast", "投票人数", "votes cast", "票数", "投票"),
    )),
    "threshold": Kind("比例", "threshold", (
        _w("majority", "过半数", "more than half", "半数以上", "过半", "1/2"),
        _w("two-thirds", "三分之二以上", "at least two thirds", "三分之二", "2/3", "twothirds"),
    )),
    "approval": Kind("议题审定方式", "approval rule", (
        _w("leads", "各方主要负责人", "the leads of the sides", "主要负责人", "负责人"),
        _w("chair", "主持人", "the chair"),
    )),
    "written-opinions": Kind("书面意见", "written opinions", (
        _w("record", "只记录", "recorded only", "记录", "不计票"),
        _w("count", "计入表决", "counted as votes", "计票", "计入"),
    )),
    "chair-side": Kind("主持人所属方面", "side of the chair", (
        _w("cadre", "政工", "cadre", "政工方面"),
        _w("any", "任一方面", "any side", "任意", "不限"),
    )),
    "lang": Kind("语言", "language", (
        _w("zh", "中文", "Chinese", "汉语", "简体中文"),
        _w("en", "英文", "English", "英语"),
    )),
    "weekday": Kind("星期几", "weekday", (
        _w("mon", "周一", "Monday", "星期一", "monday"),
        _w("tue", "周二", "Tuesday", "星期二", "tuesday"),
        _w("wed", "周三", "Wednesday", "星期三", "wednesday"),
        _w("thu", "周四", "Thursday", "星期四", "thursday"),
        _w("fri", "周五", "Friday", "星期五", "friday"),
        _w("sat", "周六", "Saturday", "星期六", "saturday"),
        _w("sun", "周日", "Sunday", "星期日", "星期天", "周天", "sunday"),
    )),
    "format": Kind("格式", "format", (
        _w("table", "表格", "table", "列表"),
        _w("text", "文本", "text", "文字", "纯文本"),
        _w("markdown", "Markdown", "Markdown", "md"),
        _w("json", "JSON", "JSON"),
        _w("csv", "CSV", "CSV"),
        _w("xlsx", "Excel", "Excel", "excel", "电子表格"),
        _w("docx", "Word", "Word", "word", "docx"),
    )),
    "layout": Kind("版式", "layout", (
        _w("record", "会议记录", "record", "记录"),
        _w("official", "纪要", "official", "会议纪要", "正式纪要"),
    )),
}  # fmt: skip

SIDES = tuple(w.key for w in KINDS["side"].words)
CATEGORIES = tuple(w.key for w in KINDS["category"].words)
METHODS = tuple(w.key for w in KINDS["method"].words)
# Outcomes of a vote, in the words of the minutes: 通过 / 未通过 / 暂缓 / 报上级.
OUTCOMES = ("passed", "failed", "deferred", "referred")

# The statuses of a topic, in groups. Open: still in the queue (collected, agreed, on an
# agenda); the store keeps open topics in the hot file whatever their age.
TOPIC_OPEN = ("proposed", "accepted", "scheduled")
# Decided by a vote (a deferral is no decision: the topic is accepted again).
TOPIC_DECIDED = ("passed", "failed", "referred")
TOPIC_STATUSES = KINDS["status"].typed or ()


def _fold(text: str) -> str:
    return text.strip().lower().replace(" ", "").replace("_", "-")


def _index(kind: str) -> dict[str, str]:
    spec = KINDS[kind]
    typed = spec.typed
    table: dict[str, str] = {}
    for entry in spec.words:
        if typed is not None and entry.key not in typed:
            continue
        for name in (entry.key, entry.zh, entry.en, *entry.aliases):
            table.setdefault(_fold(name), entry.key)
    return table


_INDEX: dict[str, dict[str, str]] = {}


def keys(kind: str) -> tuple[str, ...]:
    """The keys that may be typed for `kind`, in their order."""
    spec = KINDS[kind]
    return spec.typed or tuple(w.key for w in spec.words)


def pick(kind: str, value: str, allowed: tuple[str, ...] | None = None) -> str:
    """The key typed as `value` (key, display word or alias, either language), or BadInput
    listing the choices. `allowed` narrows the kind (`--format` of one command)."""
    if kind not in _INDEX:
        _INDEX[kind] = _index(kind)
    key = _INDEX[kind].get(_fold(value))
    if key is not None and (allowed is None or key in allowed):
        return key
    raise BadInput("bad_word", vocab=kind, value=value, allowed=allowed or keys(kind))


def word(lang: str, kind: str, key: object) -> str:
    """The word shown for `key`, e.g. word("zh", "side", "cadre") -> 政工; an unknown key
    (a newer sanjian's, say) is shown as it is."""
    spec = KINDS.get(kind)
    if spec is not None:
        for entry in spec.words:
            if entry.key == key:
                return entry.zh if lang == "zh" else entry.en
    return str(key)


def kind_name(lang: str, kind: str) -> str:
    spec = KINDS[kind]
    return spec.zh if lang == "zh" else spec.en


def words(lang: str, kind: str, allowed: tuple[str, ...] | None = None) -> str:
    """The choices of `kind` as a reader of `lang` types them: 政工、社工、志愿者 in Chinese,
    cadre, social-worker, volunteer in English."""
    chosen = allowed or keys(kind)
    if lang == "zh":
        return "、".join(word("zh", kind, key) for key in chosen)
    return ", ".join(chosen)


def side(value: str) -> str:
    return pick("side", value)


def category(value: str) -> str:
    return pick("category", value)


def method(value: str) -> str:
    return pick("method", value)


def topic_status(value: str) -> str:
    return pick("status", value)
