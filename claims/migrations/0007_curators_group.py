"""The curators group: review and correct claims, stances, speakers and aliases; no deletes."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Rejected claims are kept, not deleted; the loader re-creates what a delete would remove
# (reference aliases, automatic stances), so deleting is left to superusers.
CURATOR_PERMISSIONS = {
    "alias": ("view", "change", "add"),
    "claim": ("view", "change", "add"),
    "source": ("view", "change"),
    "speaker": ("view", "change"),
    "stance": ("view", "change", "add"),
    "topic": ("view", "change"),
}


def create_curators_group(apps, schema_editor):
    db = schema_editor.connection.alias
    # On a fresh database permissions are made after the last migration (post_migrate):
    # make the claims app's now. The historical app config has no models module, which
    # create_permissions takes as "no models" unless told otherwise.
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
        f"{action}_{model}" for model, actions in CURATOR_PERMISSIONS.items() for action in actions
    )
    # .using(db): with read replicas configured, the router would read from a replica.
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


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("claims", "0006_list_orderings"),
    ]

    operations = [
        migrations.RunPython(create_curators_group, migrations.RunPython.noop),
    ]
