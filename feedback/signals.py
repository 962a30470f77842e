"""Signals other apps listen to, so that feedback imports none of them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after the transaction that changed a report's status (or created it) commits.
# Arguments: report, change (the StatusChange).
report_status_changed = Signal()

# Sent after the transaction that published a report's answer commits.
# Arguments: report.
report_answer_published = Signal()
