"""Signals cases sends so other apps can react without cases importing them.

``case_status_changed`` is sent inside the transaction that changed the status, after the
row is saved; receivers that start background work must defer it with
``transaction.on_commit``.
"""

from django.dispatch import Signal

# Sent with ``case_id``, ``old`` and ``new`` (CaseStatus values).
case_status_changed = Signal()
