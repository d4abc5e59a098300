from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from claims.db import cache_long_statements, install_replanning
        from claims.services import history  # noqa: F401  (connects its receiver)

        connection_created.connect(install_replanning, dispatch_uid="claims-replanning")
        cache_long_statements()
