"""Signals through which other apps take part in a person's data rights.

accounts imports no other app: feedback listens to these to add the person's
reports to an export and to anonymise them when the account is deleted.
"""

from __future__ import annotations

from django.dispatch import Signal

# Arguments: user. Each receiver returns a dict merged into the export.
personal_data_requested = Signal()

# Arguments: user. Sent inside the transaction that deletes the account.
personal_data_erased = Signal()

# Arguments: cutoff (an aware datetime). Sent by ``manage.py apply_retention``:
# each receiver erases the personal data it keeps about matters closed before
# ``cutoff`` and returns how many records it erased.
retention_due = Signal()
