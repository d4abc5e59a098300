"""History records the models do not write themselves: each row's state before its first
recorded change, so that every change in the history has a "before"."""

from __future__ import annotations

from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver

# The reason history shows for the first record of a row that predates its history.
BASELINE_REASON = "earliest state on record"


def record_states_before(rows: list[models.Model], *, using: str = "default") -> None:
    """Keep each row's stored state as its first history record, so its change has a "before".

    Rows written in bulk (the corpus generator, imports, rows the loader created without a
    record) have none yet; rows that have one are left alone.
    """
    if not rows:
        return
    model = type(rows[0])
    # On the historical model ``pk`` is the record's own; the row's id keeps its name.
    ids = [row.pk for row in rows]
    recorded = set(model.history.using(using).filter(id__in=ids).values_list("id", flat=True))
    first = [row for row in rows if row.pk not in recorded]
    for row in first:
        # Whoever wrote it, at its last change: not the curator now changing it.
        row._history_user, row._history_date = None, row.updated_at
    model.history.bulk_history_create(first, update=True, default_change_reason=BASELINE_REASON)


@receiver(pre_save, dispatch_uid="claims-history-baseline")
def _baseline_before_change(sender, instance, raw=False, using="default", **kwargs) -> None:
    # Sent by Model.save after the version guard raised the stored version: the row as
    # stored, at the version the writer read, is the state before this change.
    if raw or instance._state.adding or not getattr(sender, "_versioned", False):
        return
    if sender.history.using(using).filter(id=instance.pk).exists():
        return  # the usual case: a record already says what came before
    before = sender._base_manager.using(using).get(pk=instance.pk)
    before.version = instance.version - 1
    record_states_before([before], using=using)
