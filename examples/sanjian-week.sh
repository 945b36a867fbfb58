#!/bin/sh
# The weekly routine of a committee, for cron or a systemd timer (see README, "Running the
# week from cron"). Safe to run as often as you like: every step is idempotent.
#
#   SANJIAN_DB   the committee's store (required)
#   SANJIAN_OUT  where the papers go (default: the current directory)
#
# 1. Build the next meeting's agenda once topic collection has closed (setting
#    topic-deadline, 48 hours before the start by default); until then it says "not yet
#    due" and changes nothing. The day after a meeting it plans the next one first.
# 2. Write the meeting notice (会议通知) for the group chat; before the agenda is built the
#    notice says the agenda will follow.
# 3. Write the reminders of decision items due within a week or overdue, by owner (an empty
#    file when there are none).
# 4. Write the calendar members subscribe to.
set -eu
: "${SANJIAN_DB:?set SANJIAN_DB to the committee's store}"
export SANJIAN_DB
out="${SANJIAN_OUT:-.}"
mkdir -p "$out"

sanjian agenda build --next --if-due --format markdown --output "$out/议程-{date}.md"
sanjian notice --quiet --output "$out/会议通知-{date}.txt"
sanjian remind --days 7 --quiet --output "$out/督办提醒.txt"
sanjian calendar --quiet --output "$out/会议日历.ics"
