"""The action_id and callback_id strings our messages carry; listeners register each one."""

NUDGE_CONFIRM = "nudge_confirm"
NUDGE_SKIP = "nudge_skip"
PICK_DAY = "pick_day"
CHECKIN_MET = "checkin_met"
CHECKIN_MISSED = "checkin_missed"
REFLECT_OPEN = "reflect_open"
REFLECTION_MODAL = "reflection"

# Block and field ids inside the reflection modal.
WORKED = "worked"
DID_NOT_WORK = "did_not_work"
DIFFERENTLY = "differently"
SHARE = "share"

# Buttons on the coordinators' dormant-pair alert.
DORMANT_NUDGE = "dormant_nudge"
DORMANT_PAUSE = "dormant_pause"
DORMANT_CLOSE = "dormant_close"

# The 30/90-day pulse.
PULSE_GOING_WELL = "pulse_going_well"
PULSE_COULD_BE_BETTER = "pulse_could_be_better"
PULSE_NOT_WORKING = "pulse_not_working"
PULSE_NOTE_MODAL = "pulse_note"
PULSE_NOTE = "note"

# Closing a pair: the buttons on /mentor-close's question, and the last reflection.
CLOSE_CONFIRM = "close_confirm"
CLOSE_KEEP = "close_keep"
LAST_REFLECTION_OPEN = "last_reflection_open"
LAST_REFLECTION_MODAL = "last_reflection"
RHYTHM_AGREE = "rhythm_agree"
RHYTHM_OPEN = "rhythm_open"
RHYTHM_MODAL = "rhythm_modal"
RHYTHM_CADENCE = "rhythm_cadence"
RHYTHM_WEEKDAY = "rhythm_weekday"
REPAIR_OPEN = "repair_open"
REPAIR_MODAL = "repair_modal"
REPAIR_USER = "repair_user"
ANOTHER_PAIR = "another_pair"
RHYTHM_CHANGE = "rhythm_change"
RHYTHM_TIME = "rhythm_time"
RHYTHM_WAY = "rhythm_way"
RHYTHM_WAY_WORDS = "rhythm_way_words"
RHYTHM_SPEED = "rhythm_speed"
RHYTHM_HOPE = "rhythm_hope"
