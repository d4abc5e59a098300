"""Reads to the replicas, writes to the primary; a request pinned to the primary reads there."""

from __future__ import annotations

import random
from contextvars import ContextVar

from django.conf import settings

# Set by ReadYourWritesMiddleware for writes, the admin, and a writer's next reads.
pinned_to_primary: ContextVar[bool] = ContextVar("pinned_to_primary", default=False)


class PrimaryReplicaRouter:
    """Database router used when DATABASE_REPLICA_URLS lists replicas."""

    def db_for_read(self, model, **hints) -> str:
        replicas = settings.DATABASE_REPLICAS
        if not replicas or pinned_to_primary.get():
            return "default"
        return random.choice(replicas)

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == "default"
