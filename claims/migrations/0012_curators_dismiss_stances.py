"""Curators may remove stances, undo those removals and add topics.

Deleting stances was left to superusers (0007) because a load put an automatic stance
back; since 0011 a removal is a dismissal that loads keep, so it is a curator's call. A
dismissal may be undone by deleting it. A topic is reference data a curator extends.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTED = {
    "stance": ("delete",),
    "stancedismissal": ("view", "delete"),
    "topic": ("add",),
}


def grant(apps, schema_editor):
    db = schema_editor.connection.alias
    # The permissions of models new since the last post_migrate (StanceDismissal) do not
    # exist yet on a fresh database; the historical app config has no models module, which
    # create_permissions takes as "no models" unless told otherwise (as in 0007).
    config = apps.get_app_config("claims")
    models_module = getattr(config, "models_module", None)
    config.models_module = models_module or True
    try:
        create_permissions(config, verbosity=0, using=db, apps=apps)
    finally:
        config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = sorted(
        f"{action}_{model}" for model, actions in GRANTED.items() for action in actions
    )
    permissions = list(
        Permission.objects.using(db).filter(
            content_type__app_label="claims", codename__in=codenames
        )
    )
    if len(permissions) != len(codenames):
        found = {permission.codename for permission in permissions}
        raise RuntimeError(f"Permissions missing for the curators group: {set(codenames) - found}")
    group, _ = Group.objects.using(db).get_or_create(name="curators")
    group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model, actions in GRANTED.items() for action in actions]
    group = Group.objects.using(db).filter(name="curators").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.using(db).filter(
                content_type__app_label="claims", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0011_stance_learning"),
    ]

    operations = [
        migrations.RunPython(grant, revoke),
    ]
