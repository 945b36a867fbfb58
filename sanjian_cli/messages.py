"""Every user-facing word and sentence, in Chinese and English, in one catalog.

`t(lang, key, **params)` formats one; a parameter named `side`, `category`, `status`,
`outcome` or `method` is shown in the reader's language. A test checks that every entry has
both languages and that both name the same parameters.
"""

from __future__ import annotations

import os
from typing import Any

LANGS = ("zh", "en")

M: dict[str, tuple[str, str]] = {
    # -- errors: input ----------------------------------------------------------------------
    "bad_timezone": ("未知时区：{value}（应为 IANA 时区名，如 Asia/Shanghai）",
                     "unknown time zone: {value} (expected an IANA name such as Asia/Shanghai)"),
    "bad_now": ("SANJIAN_NOW 格式不对：{value}（应为 ISO 8601，如 2026-12-02T19:00+08:00）",
                "SANJIAN_NOW is malformed: {value} (expected ISO 8601, e.g. 2026-12-02T19:00+08:00)"),
    "bad_date": ("日期格式不对：{value}（应为 YYYY-MM-DD，如 2026-12-02）",
                 "malformed date: {value} (expected YYYY-MM-DD, e.g. 2026-12-02)"),
    "bad_time": ("时间格式不对：{value}（应为 24 小时制 HH:MM，如 19:00）",
                 "malformed time: {value} (expected 24-hour HH:MM, e.g. 19:00)"),
    "bad_choice": ("{kind} 取值不对：{value}（可选：{choices}）",
                   "unknown {kind}: {value} (expected one of: {choices})"),
    "bad_setting_choice": ("设置值不对：{value}（可选：{choices}）",
                           "bad value: {value} (expected one of: {choices})"),
    "bad_setting_int": ("设置值不对：{value}（应为 {low} 到 {high} 之间的整数）",
                        "bad value: {value} (expected a whole number from {low} to {high})"),
    "bad_weekday": ("星期几不对：{value}（应为 mon、tue、wed、thu、fri、sat、sun 或 周一…周日）",
                    "unknown weekday: {value} (expected mon, tue, wed, thu, fri, sat or sun)"),
    "bad_setting_key": ("没有这项设置：{value}（可设置：{choices}）",
                        "no such setting: {value} (settings: {choices})"),
    "empty_name": ("名称不能为空", "the name must not be empty"),
    "empty_title": ("议题标题不能为空", "the topic title must not be empty"),
    "empty_reason": ("必须写明理由（--reason）", "a reason is required (--reason)"),
    "empty_text": ("内容不能为空", "the text must not be empty"),
    "bad_minutes": ("时长不对：{value}（应为 1 到 600 分钟）",
                    "bad length: {value} (expected 1 to 600 minutes)"),
    "bad_duration": ("会议时长不对：{value}（应为 15 到 600 分钟）",
                     "bad meeting length: {value} (expected 15 to 600 minutes)"),
    "bad_topic_ref": ("议题编号不对：{ref}（应为数字，如 3）",
                      "bad topic id: {ref} (expected a number such as 3)"),
    "bad_action_ref": ("议定事项编号不对：{ref}（应为数字，如 2）",
                       "bad decision item id: {ref} (expected a number such as 2)"),
    "nothing_to_change": ("没有给出要修改的内容", "nothing to change was given"),
    "retire_before_join": ("离任日期 {date} 早于加入日期 {joined}",
                           "leaving date {date} is before the joining date {joined}"),
    "end_before_start": ("散会时间 {end} 不晚于开始时间 {start}",
                         "end time {end} is not after the start {start}"),
    "defer_and_refer": ("--defer 与 --refer 不能同时使用", "--defer and --refer exclude each other"),
    "voted_twice": ("{name} 被记了两次票", "{name} is named in more than one list"),
    "counts_disagree": ("票数与按姓名列出的人数不一致",
                        "the counts disagree with the names given"),
    "negative_votes": ("票数不能为负", "vote counts cannot be negative"),
    "no_votes": ("没有给出票数（--yes/--no/--abstain 或 --yes-by/--no-by/--abstain-by）",
                 "no votes given (--yes/--no/--abstain or --yes-by/--no-by/--abstain-by)"),
    "due_before_meeting": ("时限 {due} 早于会议日期 {date}",
                           "due date {due} is before the meeting on {date}"),
    "usage": ("用法错误：{message}（见 sanjian {command} --help）",
              "usage error: {message} (see sanjian {command} --help)"),
    # -- errors: refusals -----------------------------------------------------------------
    "no_committee": ("还没有联席会议记录；先运行 sanjian init 名称（或 sanjian demo）",
                     "no committee yet; run sanjian init NAME first (or sanjian demo)"),
    "committee_exists": ("已有联席会议“{name}”，不会覆盖",
                         "the committee “{name}” already exists; not overwriting it"),
    "unknown_member": ("找不到成员：{ref}（用 sanjian member list 查看编号和姓名）",
                       "no such member: {ref} (see sanjian member list)"),
    "ambiguous_member": ("“{ref}”指向多名成员，请用编号：{candidates}",
                         "“{ref}” names several members; use an id: {candidates}"),
    "lead_taken": ("{side}已有主要负责人 {name}（#{id}）；先用 member edit {id} --no-lead 卸任",
                   "the {side} side already has a lead, {name} (#{id}); "
                   "first run member edit {id} --no-lead"),
    "member_retired": ("{name} 已于 {date} 离任", "{name} left the committee on {date}"),
    "unknown_topic": ("找不到议题：{ref}", "no such topic: {ref}"),
    "topic_wrong_status": ("议题 #{id} 当前状态为“{status}”，不能这样操作",
                           "topic #{id} is {status}; that cannot be done now"),
    "not_a_lead": ("{name} 不是按“{rule}”规则有权审定议题的主要负责人",
                   "{name} is not a lead who may approve topics under the {rule} rule"),
    "already_approved": ("{name} 已同意过议题 #{id}", "{name} already approved topic #{id}"),
    "unknown_meeting": ("{date} 没有会议；先用 sanjian meeting plan {date} 安排",
                        "no meeting on {date}; plan it with sanjian meeting plan {date}"),
    "no_meeting_ahead": ("没有待开的会议", "no meeting is planned ahead"),
    "meeting_closed": ("{date} 的会议已结束，不能再修改",
                       "the meeting of {date} is closed; it cannot be changed"),
    "topic_not_on_agenda": ("议题 #{id} 不在 {date} 会议的议程上（先 sanjian agenda build {date}）",
                            "topic #{id} is not on the agenda of {date} "
                            "(run sanjian agenda build {date})"),
    "already_voted": ("议题 #{id} 已表决过", "topic #{id} has already been voted on"),
    "no_quorum": ("不足法定人数：应到 {expected} 人，实到 {present} 人，至少需要 {needed} 人",
                  "no quorum: {present} present of {expected} expected; {needed} needed"),
    "too_many_votes": ("票数 {cast} 超过实到人数 {present}",
                       "{cast} votes is more than the {present} members present"),
    "voter_non_voting": ("{name} 是列席人员，没有表决权", "{name} is non-voting"),
    "voter_on_leave": ("{name} 已请假，未出席 {date} 的会议",
                       "{name} is on leave from the meeting of {date}"),
    "voter_absent": ("{name} 未出席 {date} 的会议（先签到：sanjian attend）",
                     "{name} is not present at the meeting of {date} (sign in with sanjian attend)"),
    "unknown_action": ("找不到议定事项：{ref}", "no such decision item: {ref}"),
    "action_already_done": ("议定事项 #{id} 已办结", "decision item #{id} is already done"),
    # -- errors: the store ------------------------------------------------------------------
    "lock_timeout": ("记录文件 {path} 正被其他命令使用，等待 {seconds} 秒后放弃",
                     "the store {path} is in use by another command; gave up after {seconds} s"),
    "store_unreadable": ("无法读取记录文件 {path}：{reason}", "cannot read the store {path}: {reason}"),
    "store_unwritable": ("无法写入记录文件 {path}：{reason}", "cannot write the store {path}: {reason}"),
    "store_corrupt": ("记录文件 {path} 已损坏，无法读取；未做任何修改",
                      "the store {path} is damaged and cannot be read; nothing was changed"),
    "store_too_new": ("记录文件 {path} 由更新版本的 sanjian 写入（格式 {schema}），请升级",
                      "the store {path} was written by a newer sanjian (schema {schema}); upgrade"),
    "internal_error": ("内部错误：{error}；请报告此问题（加 --debug 查看详情）",
                       "internal error: {error}; please report it (--debug shows details)"),
    # -- confirmations ----------------------------------------------------------------------
    "init_done": ("已创建联席会议“{name}”，记录文件：{path}",
                  "created the committee “{name}” in {path}"),
    "config_set": ("已设置 {key} = {value}", "set {key} = {value}"),
    "member_added": ("已添加成员 #{id} {name}（{side}）", "added member #{id} {name} ({side})"),
    "member_updated": ("已更新成员 #{id} {name}", "updated member #{id} {name}"),
    "member_retired_ok": ("成员 #{id} {name} 已于 {date} 离任（记录保留）",
                          "member #{id} {name} left on {date} (kept on record)"),
    "topic_added": ("已登记议题 #{id}：{title}", "proposed topic #{id}: {title}"),
    "topic_approved": ("{name} 已同意议题 #{id}；尚待：{pending}",
                       "{name} approved topic #{id}; still to approve: {pending}"),
    "topic_accepted": ("议题 #{id} 已协商确定，进入待议队列",
                       "topic #{id} is accepted and joins the queue"),
    "topic_rejected": ("议题 #{id} 未被采纳：{reason}", "topic #{id} rejected: {reason}"),
    "topic_withdrawn": ("议题 #{id} 已撤回", "topic #{id} withdrawn"),
    "meeting_planned": ("已安排 {date} 的会议", "planned the meeting of {date}"),
    "meeting_updated": ("已更新 {date} 的会议", "updated the meeting of {date}"),
    "meeting_closed_ok": ("{date} 的会议已结束，散会时间 {end}",
                          "closed the meeting of {date}, adjourned at {end}"),
    "agenda_built": ("已生成 {date} 会议议程：{topics} 个议题，{waiting} 个待下次",
                     "built the agenda of {date}: {topics} topics, {waiting} waiting"),
    "written_to": ("已写入 {path}", "written to {path}"),
    "leave_excused": ("已登记 {name} 请假（{date}），按时提出，计为请假",
                      "leave filed for {name} ({date}), in time: excused"),
    "leave_late": ("已登记 {name} 请假（{date}），但晚于截止时间 {deadline}，计为缺席",
                   "leave filed for {name} ({date}) after the deadline {deadline}: "
                   "kept on record, counted absent"),
    "attend_ok": ("已签到：{names}", "signed in: {names}"),
    "guest_ok": ("已登记列席：{name}", "guest recorded: {name}"),
    "vote_ok": ("议题 #{id} 表决结果：{outcome}（赞成 {yes}，反对 {no}，弃权 {abstain}）",
                "topic #{id}: {outcome} (yes {yes}, no {no}, abstain {abstain})"),
    "note_ok": ("已记录讨论要点（议题 #{id}）", "discussion point recorded (topic #{id})"),
    "dissent_ok": ("已记录 {name} 的不同意见（议题 #{id}）",
                   "dissent of {name} recorded (topic #{id})"),
    "decide_ok": ("已记录议定事项 #{id}", "decision item #{id} recorded"),
    "action_updated": ("已记录议定事项 #{id} 的进展", "progress noted on decision item #{id}"),
    "action_done_ok": ("议定事项 #{id} 已办结", "decision item #{id} done"),
    "nothing": ("（无）", "(none)"),
    "demo_exists": ("记录文件 {path} 已有联席会议“{name}”；演示不会覆盖它，请用 --db 指定新文件",
                    "the store {path} holds the committee “{name}”; the demo will not "
                    "overwrite it: use --db with a new file"),
    "demo_done": ("演示数据在：{path}", "the demo's store is: {path}"),
    "demo_next": ("接着可以试试：", "Try next:"),
    # -- words ------------------------------------------------------------------------------
    "side.cadre": ("政工", "cadre"),
    "side.social-worker": ("社工", "social worker"),
    "side.volunteer": ("志愿者", "volunteer"),
    "category.politics": ("政治", "politics"),
    "category.economy": ("经济", "economy"),
    "category.culture": ("文化建设", "culture"),
    "category.environment": ("社区环境", "environment"),
    "category.welfare": ("福利保障", "welfare"),
    "category.plan": ("治理方案", "governance plan"),
    "category.project": ("项目监督评估", "project review"),
    "category.other": ("其他", "other"),
    "status.proposed": ("征集中", "proposed"),
    "status.accepted": ("已确定待议", "accepted"),
    "status.scheduled": ("已列入议程", "scheduled"),
    "status.passed": ("通过", "passed"),
    "status.failed": ("未通过", "failed"),
    "status.referred": ("报上级", "referred"),
    "status.rejected": ("未采纳", "rejected"),
    "status.withdrawn": ("已撤回", "withdrawn"),
    "status.planned": ("待开", "planned"),
    "status.closed": ("已结束", "closed"),
    "status.open": ("办理中", "open"),
    "status.done": ("已办结", "done"),
    "outcome.passed": ("通过", "passed"),
    "outcome.failed": ("未通过", "failed"),
    "outcome.deferred": ("暂缓", "deferred"),
    "outcome.referred": ("报上级", "referred"),
    "outcome.carried": ("顺延", "carried over"),
    "method.hands": ("举手表决", "show of hands"),
    "method.roll-call": ("口头表决", "roll call"),
    "method.ballot": ("无记名投票", "secret ballot"),
    "weekday.0": ("星期一", "Monday"),
    "weekday.1": ("星期二", "Tuesday"),
    "weekday.2": ("星期三", "Wednesday"),
    "weekday.3": ("星期四", "Thursday"),
    "weekday.4": ("星期五", "Friday"),
    "weekday.5": ("星期六", "Saturday"),
    "weekday.6": ("星期日", "Sunday"),
    "basis.expected": ("应到人数", "members expected"),
    "basis.present": ("实到人数", "members present"),
    "basis.cast": ("投票人数", "votes cast"),
    "threshold.majority": ("过半数", "more than half"),
    "threshold.two-thirds": ("三分之二以上", "at least two thirds"),
    "missing": ("待定", "to be set"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    # -- labels of tables and papers ---------------------------------------------------------
    "col.id": ("编号", "ID"),
    "col.name": ("姓名", "Name"),
    "col.side": ("方面", "Side"),
    "col.lead": ("主要负责人", "Lead"),
    "col.voting": ("表决权", "Voting"),
    "col.org": ("单位", "Organisation"),
    "col.phone": ("电话", "Phone"),
    "col.joined": ("加入", "Joined"),
    "col.retired": ("离任", "Left"),
    "col.title": ("议题", "Topic"),
    "col.by": ("提出人", "Proposed by"),
    "col.category": ("类别", "Category"),
    "col.status": ("状态", "Status"),
    "col.minutes": ("分钟", "Min"),
    "col.urgent": ("紧急", "Urgent"),
    "col.proposed_at": ("提出时间", "Proposed"),
    "col.date": ("日期", "Date"),
    "col.start": ("开始", "Start"),
    "col.place": ("地点", "Place"),
    "col.chair": ("主持人", "Chair"),
    "col.recorder": ("记录人", "Recorder"),
    "col.text": ("内容", "Decision"),
    "col.owner": ("责任人", "Owner"),
    "col.due": ("时限", "Due"),
    "col.meeting": ("会议", "Meeting"),
    "col.topic": ("议题", "Topic"),
    "col.note": ("最新进展", "Latest note"),
    "col.key": ("设置项", "Setting"),
    "col.value": ("值", "Value"),
    "col.detail": ("说明", "Detail"),
    "col.approvals": ("已同意", "Approved by"),
    "col.pending": ("尚待同意", "Still to approve"),
    "col.for": ("代提居民", "On behalf of"),
    "col.carried": ("顺延次数", "Carried over"),
    "col.history": ("经过", "History"),
    "col.rejection": ("未采纳理由", "Rejected because"),
    "col.online": ("线上", "Online"),
    "col.end": ("散会", "End"),
    "col.overdue": ("逾期天数", "Days overdue"),
    "col.notes": ("进展记录", "Progress notes"),
    "paper.agenda_title": ("{committee} 会议议程", "{committee}: agenda"),
    "paper.minutes_title": ("{committee} 会议纪要", "{committee}: minutes"),
    "paper.time": ("时间", "Time"),
    "paper.place": ("地点", "Place"),
    "paper.online": ("线上链接", "Online"),
    "paper.chair": ("主持人", "Chair"),
    "paper.recorder": ("记录人", "Recorder"),
    "paper.approve_minutes": ("审议上次会议（{date}）纪要", "Approval of the minutes of {date}"),
    "paper.approve_minutes_none": ("审议上次会议纪要", "Approval of the previous minutes"),
    "paper.follow_up": ("上次议定事项落实情况", "Follow-up of earlier decisions"),
    "paper.topic_by": ("提出人：{name}", "proposed by {name}"),
    "paper.topic_for": ("代居民 {name} 提出", "on behalf of resident {name}"),
    "paper.mins": ("{n} 分钟", "{n} min"),
    "paper.urgent": ("紧急", "urgent"),
    "paper.major": ("重大事项", "major matter"),
    "paper.carried": ("延续议题", "carried over"),
    "paper.waiting": ("时间所限，待下次会议", "Waiting for the next meeting (no time left)"),
    "paper.total": ("预计用时 {used} 分钟（会议 {duration} 分钟）",
                    "Planned {used} min of the meeting's {duration} min"),
    "paper.no_topics": ("本次会议没有议题", "No topics this time"),
    "paper.expected": ("应到", "Expected"),
    "paper.present": ("实到", "Present"),
    "paper.leave": ("请假", "On leave"),
    "paper.absent": ("缺席", "Absent"),
    "paper.attendees": ("列席", "Attending (non-voting)"),
    "paper.counts": ("应到 {expected} 人，实到 {present} 人，请假 {leave} 人，缺席 {absent} 人",
                     "Expected {expected}, present {present}, on leave {leave}, absent {absent}"),
    "paper.late": ("迟到", "late"),
    "paper.online_mark": ("线上", "online"),
    "paper.late_leave": ("请假晚于截止时间：{reason}", "leave notice too late: {reason}"),
    "paper.notes": ("讨论要点", "Discussion"),
    "paper.vote": ("表决", "Vote"),
    "paper.vote_line": ("{method}：赞成 {yes} 票，反对 {no} 票，弃权 {abstain} 票（{basis} {base} 人，"
                        "{threshold}需 {needed} 票），结果：{outcome}",
                        "{method}: yes {yes}, no {no}, abstain {abstain} (of {base} {basis}, "
                        "{threshold} needs {needed}); result: {outcome}"),
    "paper.vote_chair": ("{method}：主持人决定{outcome}", "{method}: {outcome} by the chair"),
    "paper.no_vote": ("未表决", "Not voted on"),
    "paper.yes_by": ("赞成", "Yes"),
    "paper.no_by": ("反对", "No"),
    "paper.abstain_by": ("弃权", "Abstain"),
    "paper.decision": ("决定", "Decision"),
    "paper.dissent": ("不同意见", "Dissent"),
    "paper.written": ("（书面意见）", " (in writing)"),
    "paper.decisions": ("议定事项", "Decisions"),
    "paper.owner_due": ("责任人：{owner}；时限：{due}", "owner: {owner}; due: {due}"),
    "paper.follow_up_none": ("无待落实事项", "No open decisions"),
    "paper.follow_status": ("{status}{overdue}；最新进展：{note}", "{status}{overdue}; latest: {note}"),
    "paper.overdue": ("（逾期 {days} 天）", " ({days} days overdue)"),
    "paper.adjourned": ("散会", "Adjourned"),
    "paper.not_closed": ("（会议尚未结束）", "(the meeting is not closed yet)"),
    "paper.signature": ("主持人（签字）：__________    记录人（签字）：__________",
                        "Chair (signature): __________    Recorder (signature): __________"),
    "paper.numerals": ("一,二,三,四,五,六,七,八,九,十,十一,十二,十三,十四,十五,十六,十七,十八,十九,二十",
                       "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20"),
    # -- issue 3: the safety of the record (store, backups, doctor, log) ---------------------
    # -- end of issue 3 -----------------------------------------------------------------------

    # -- issue 4: cron, notice, calendar, reminders ---------------------------------------------
    # -- end of issue 4 -----------------------------------------------------------------------

    # -- issue 5: reports, public notice, sign-in sheet ---------------------------------------
    # -- end of issue 5 -----------------------------------------------------------------------

    # -- issue 6: speed ---------------------------------------------------------------------
    # -- end of issue 6 -----------------------------------------------------------------------
}  # fmt: skip


def lang_from_env() -> str:
    """zh when LANG (or LC_ALL) starts with zh, else en."""
    value = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "zh" if value.lower().startswith("zh") else "en"


_TRANSLATED = ("side", "category", "status", "outcome", "method", "basis", "threshold")


def t(lang: str, key: str, **params: Any) -> str:
    zh, en = M[key]
    template = zh if lang == "zh" else en
    if not params:
        return template
    shown = {
        name: (word(lang, name, value) if name in _TRANSLATED and value else value)
        for name, value in params.items()
    }
    return template.format(**shown)


def word(lang: str, kind: str, value: Any) -> str:
    """The display word for a vocabulary value, e.g. word("zh", "side", "cadre") -> 政工."""
    key = f"{kind}.{value}"
    if key not in M:
        return str(value)
    return M[key][0 if lang == "zh" else 1]
