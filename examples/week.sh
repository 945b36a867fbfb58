#!/usr/bin/env bash
# 一周的三工联席会议：秘书的操作示范（A scripted week of a 三工联席会议, as a tutorial).
#
#   examples/week.sh [STORE] [OUTDIR]
#
# STORE  记录文件，须为新文件；省略时用临时文件 (a new store file; a temporary one if omitted).
# OUTDIR 议程和纪要写到这里；省略时写在本脚本旁边 (where the agenda and minutes are written;
#        beside this script if omitted). 脚本用 PATH 里的 sanjian (uses `sanjian` from PATH).
#
# 每一步之前用 SANJIAN_NOW 固定“现在”的时间，所以每次运行结果逐字节相同。
# Every step fixes "now" with SANJIAN_NOW, so every run gives byte-identical papers.
set -euo pipefail

STORE="${1:-$(mktemp -d)/week.json}"
OUT="${2:-$(cd "$(dirname "$0")" && pwd)}"
export SANJIAN_DB="$STORE"   # 所有命令都用这个记录文件 (every command uses this store)
mkdir -p "$OUT"

# ---------------------------------------------------------------------------------------
# 一、建立联席会议和成员名册 (the committee and its roster)
# ---------------------------------------------------------------------------------------
export SANJIAN_NOW=2026-11-02T09:00+08:00

# 每周三 19:00 开会，90 分钟，中文输出 (meets Wednesdays 19:00 for 90 minutes, in Chinese)
sanjian init 幸福里社区三工联席会议 --weekday wed --time 19:00 --duration 90 \
  --place 社区党群服务中心二楼会议室 --lang zh

# 三方各有一名主要负责人 (--lead)；--side 可用中文 政工/社工/志愿者
# (one principal lead per side; sides may be given in Chinese)
sanjian member add 张建国 --side 政工 --lead --org 社区党委 --joined 2026-01-01
sanjian member add 李秀兰 --side 政工 --org 社区党委 --joined 2026-01-01
sanjian member add 王志强 --side 政工 --org 第一网格党支部 --joined 2026-01-01
sanjian member add 陈静 --side 社工 --lead --org 阳光社工服务站 --joined 2026-01-01
# 电话只留在名册上，永远不进纪要 (a phone stays on the roster, never in minutes)
sanjian member add 刘洋 --side 社工 --org 阳光社工服务站 --phone 13800000000 --joined 2026-01-01
sanjian member add 赵敏 --side 社工 --org 社区居委会 --joined 2026-01-01
sanjian member add 孙丽华 --side 志愿者 --lead --org 幸福里志愿服务队 --joined 2026-01-01
sanjian member add 周大伟 --side 志愿者 --org 幸福里志愿服务队 --joined 2026-01-01
sanjian member add 吴晓梅 --side 志愿者 --org 银龄互助队 --joined 2026-01-01
sanjian member add 郑国庆 --side 志愿者 --org 楼栋长 --joined 2026-01-01
# 列席成员：参加会议但没有表决权，不计入应到 (non-voting: attends, not counted in 应到)
sanjian member add 黄立新 --side 政工 --non-voting --org 街道社区办 --joined 2026-01-01

# ---------------------------------------------------------------------------------------
# 二、上周的会议（11 月 18 日）：留下一项待落实的议定事项
#     (last week's meeting leaves a decision to follow up)
# ---------------------------------------------------------------------------------------
export SANJIAN_NOW=2026-11-13T09:30+08:00
# 提出议题：具体、书面、写明提出人 (a topic is concrete, in writing, with its proposer)
sanjian topic add 楼道堆物清理整治 --by 周大伟 --category 社区环境
# 三方主要负责人协商确定：三人都同意后议题进入待议队列
# (the three sides' leads agree it; accepted once all three have approved)
sanjian topic approve 1 --by 张建国
sanjian topic approve 1 --by 陈静
sanjian topic approve 1 --by 孙丽华

export SANJIAN_NOW=2026-11-16T09:00+08:00
sanjian meeting plan 2026-11-18 --recorder 李秀兰   # 安排会议，指定记录人 (plan it, with a recorder)
sanjian agenda build 2026-11-18 >/dev/null          # 生成议程 (build its agenda)

export SANJIAN_NOW=2026-11-18T19:00+08:00
sanjian attend 2026-11-18 张建国 李秀兰 王志强 陈静 刘洋 孙丽华 周大伟 吴晓梅 郑国庆   # 签到
sanjian vote 2026-11-18 1 --yes 9                   # 举手表决，赞成 9 票 (show of hands, 9 yes)
# 议定事项：结论 + 责任人 + 时限 (a decision item: what, who, by when)
sanjian decide 2026-11-18 1 "志愿服务队协助物业清理楼道，每周巡查一次" --owner 周大伟 --due 2026-12-02
sanjian decide 2026-11-18 1 "在各楼道张贴清理通知" --owner 李秀兰 --due 2026-11-20
sanjian meeting close 2026-11-18 --end 20:00        # 散会 (adjourn)

export SANJIAN_NOW=2026-11-20T16:00+08:00
# 已办结的事项也在本周的“落实情况”里报告一次 (done since: reported once at this week's meeting)
sanjian action done 2 --note "各楼道均已张贴"

export SANJIAN_NOW=2026-11-22T10:00+08:00
# 督办：记录落实进展 (follow-up: note the progress)
sanjian action update 1 --note "已清理3号楼，5号楼本周内完成"

# ---------------------------------------------------------------------------------------
# 三、本周议题征集与协商确定 (this week's topics, collected and agreed)
# ---------------------------------------------------------------------------------------
export SANJIAN_NOW=2026-11-19T10:00+08:00
# 下一次例会：不写日期时按每周安排取下一个周三 (no date: the next Wednesday on the schedule)
sanjian meeting plan --recorder 李秀兰
sanjian topic add 老旧小区加装电梯意见征集 --by 王志强 --category 治理方案 --minutes 30 \
  --detail "7号楼居民联名申请加装电梯，需征求低层住户意见。"
export SANJIAN_NOW=2026-11-19T15:00+08:00
sanjian topic add 独居老人助餐点扩容 --by 吴晓梅 --category 福利保障 --minutes 20 \
  --detail "现有助餐点每日限供40份，排队老人增多。"
export SANJIAN_NOW=2026-11-20T09:00+08:00
# 居民不是成员，可由成员代为提出 (--for)；提出人会被请来列席
# (a resident proposes through a member with --for, and is invited to attend)
sanjian topic add 社区花园认领活动方案 --by 周大伟 --for 钱阿姨 --category 文化建设 --minutes 10
export SANJIAN_NOW=2026-11-20T14:00+08:00
# 紧急议题排在普通议题之前 (urgent topics come before ordinary ones)
sanjian topic add 电动自行车充电棚建设 --by 刘洋 --category 社区环境 --minutes 20 --urgent
export SANJIAN_NOW=2026-11-21T09:00+08:00
sanjian topic add 暑期儿童托管服务评估 --by 陈静 --category 项目监督评估 --minutes 30
export SANJIAN_NOW=2026-11-21T16:00+08:00
sanjian topic add 广场舞噪音协调 --by 孙丽华

export SANJIAN_NOW=2026-11-22T09:00+08:00
for topic in 2 3 4 5 6; do            # 三方负责人逐一同意 (each lead approves each topic)
  for lead in 张建国 陈静 孙丽华; do
    sanjian topic approve "$topic" --by "$lead"
  done
done
# 不采纳的议题要写明理由 (a topic not taken up is rejected with a reason)
sanjian topic reject 7 --by 孙丽华 --reason "已转物业与文体队协调，不需上会"

# ---------------------------------------------------------------------------------------
# 四、会前两天生成议程 (the agenda, two days ahead)
# ---------------------------------------------------------------------------------------
export SANJIAN_NOW=2026-11-23T09:00+08:00
# 开场事项（审议上次纪要、上次议定事项落实情况）各 5 分钟，之后按 延续 → 紧急 → 先提出 的
# 顺序排入 90 分钟；排不下的列为“待下次会议”。同一记录再生成一次，结果逐字节相同。
# (opening items, then carried-over, urgent, oldest topics fitted into 90 minutes; the rest
#  wait for next time. Rebuilding on an unchanged store gives byte-identical output.)
sanjian agenda build --next --output "$OUT/week-agenda.txt"
cat "$OUT/week-agenda.txt"

# ---------------------------------------------------------------------------------------
# 五、请假：会前提出的算请假，开会后才提出的记录在案但算缺席
#     (leave filed before the start excuses; after it, it is kept but counts as absent)
# ---------------------------------------------------------------------------------------
export SANJIAN_NOW=2026-11-24T20:00+08:00
sanjian leave 赵敏 2026-11-25 --reason 带孩子看病
export SANJIAN_NOW=2026-11-25T19:05+08:00
sanjian leave 郑国庆 2026-11-25 --reason 临时加班

# ---------------------------------------------------------------------------------------
# 六、开会：签到、列席、讨论、表决、不同意见、议定事项
#     (the meeting: sign-in, guests, discussion, votes, dissent, decisions)
# ---------------------------------------------------------------------------------------
export SANJIAN_NOW=2026-11-25T19:00+08:00
sanjian attend 2026-11-25 张建国 李秀兰 王志强 陈静 孙丽华 吴晓梅
sanjian attend 2026-11-25 刘洋 --online             # 线上参会也算实到 (online counts as present)
sanjian attend 2026-11-25 黄立新                    # 列席成员，不计入实到 (non-voting)
sanjian guest 2026-11-25 钱阿姨 --org 7号楼居民代表  # 列席的居民 (a resident attending)
export SANJIAN_NOW=2026-11-25T19:12+08:00
sanjian attend 2026-11-25 周大伟 --late             # 迟到也算实到 (late counts as present)

export SANJIAN_NOW=2026-11-25T19:05+08:00
# 议程第一项：审议上次会议纪要，通过后锁定 (item one: last week's minutes approved, then locked)
sanjian minutes approve 2026-11-18

export SANJIAN_NOW=2026-11-25T19:15+08:00
# 上次议定事项落实情况 (follow-up of the earlier decision)
sanjian action update 1 --note "3号楼、5号楼已清理完毕，转入每周巡查"

export SANJIAN_NOW=2026-11-25T19:20+08:00
# 议题 #5（紧急）：讨论要点、按姓名表决（口头）、不同意见、两项议定事项
# (topic #5, urgent: points, a vote by names, dissent, two decisions)
sanjian note 2026-11-25 5 "充电棚选址拟在3号楼北侧空地，需同步安装烟感与自动断电装置。"
sanjian note 2026-11-25 5 "费用由社区微更新资金列支。"
sanjian vote 2026-11-25 5 --method roll-call \
  --yes-by 张建国,李秀兰,王志强,陈静,刘洋,孙丽华 --no-by 周大伟 --abstain-by 吴晓梅
sanjian dissent 2026-11-25 5 周大伟 "选址离住户窗户过近，建议再比选一处。"
sanjian decide 2026-11-25 5 "在3号楼北侧建设充电棚，月底前完成选址公示" --owner 王志强 --due 2026-12-09
# 没有时限的议定事项：纪要里写“待定”，从不编造 (no due date: shown as 待定, never invented)
sanjian decide 2026-11-25 5 "志愿服务队上门收集住户意见" --owner 孙丽华

export SANJIAN_NOW=2026-11-25T19:45+08:00
# 议题 #2：意见分歧，主持人决定暂缓，下次会议优先审议
# (topic #2: opinions split, the chair defers it; it comes first at the next meeting)
sanjian note 2026-11-25 2 "低层住户担心采光与噪音，需进一步沟通。"
sanjian dissent 2026-11-25 2 郑国庆 "建议先做可行性评估再征求意见。"   # 缺席者的书面意见 (written)
sanjian vote 2026-11-25 2 --defer

export SANJIAN_NOW=2026-11-25T20:10+08:00
# 议题 #3：举手表决 8 票赞成；应到 10 人，超过半数即 6 票通过
# (topic #3: 8 yes of 10 expected; more than half, 6, is needed)
sanjian note 2026-11-25 3 "拟与辖区餐饮企业合作，增加每日供餐至60份。"
sanjian vote 2026-11-25 3 --yes 8 --no 0 --abstain 0
sanjian decide 2026-11-25 3 "助餐点扩容至每日60份，社工站对接餐饮企业" --owner 陈静 --due 2026-12-25

# 议题 #4 时间不够未表决：散会时自动顺延到下次 (not voted: carried over at close)
export SANJIAN_NOW=2026-11-25T20:35+08:00
sanjian meeting close 2026-11-25 --end 20:35

# ---------------------------------------------------------------------------------------
# 七、会议纪要：中文文本，和英文 Markdown (the minutes: Chinese text, English markdown)
# ---------------------------------------------------------------------------------------
export SANJIAN_NOW=2026-11-26T09:00+08:00
sanjian minutes 2026-11-25 --output "$OUT/week-minutes.txt"
sanjian minutes 2026-11-25 --format markdown --lang en --output "$OUT/week-minutes.en.md"
# 存档用的会议纪要：Word 文件，GB/T 9704 版式 (the 纪要 to file: a Word document in the official layout)
sanjian minutes 2026-11-25 --layout official --format docx --output "$OUT/week-minutes.docx"
cat "$OUT/week-minutes.txt"

# 下次会议的议程：暂缓和顺延的议题排在最前 (next week's agenda: carried-over topics first)
sanjian meeting plan --recorder 李秀兰
sanjian agenda build --next --output "$OUT/week-next-agenda.txt"
cat "$OUT/week-next-agenda.txt"

# 还没办结的议定事项 (decision items still open)
sanjian action list --open
echo "记录文件 (the store): $STORE" >&2
