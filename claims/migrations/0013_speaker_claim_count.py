"""Each speaker stores its claim count, which claims.services.counts keeps in the
transaction of every claim write: the speakers list reads and sorts it instead of counting
every speaker's claims per page. The count starts from the claims already stored."""

from django.db import migrations, models
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    db = schema_editor.connection.alias
    Speaker = apps.get_model("claims", "Speaker")
    Claim = apps.get_model("claims", "Claim")
    # Historical models have no services: the same statement as counts.claim_counts_recount.
    counted = (
        Claim.objects.using(db)
        .filter(speaker=OuterRef("pk"))
        .order_by()
        .values("speaker")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Speaker.objects.using(db).update(
        claim_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0012_curators_dismiss_stances"),
    ]

    operations = [
        migrations.AddField(
            model_name="speaker",
            name="claim_count",
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        # After the fill: the indexes are built once, over the real counts.
        migrations.AddIndex(
            model_name="speaker",
            index=models.Index(fields=["claim_count", "name", "id"], name="speaker_claim_count"),
        ),
        migrations.AddIndex(
            model_name="speaker",
            index=models.Index(
                fields=["-claim_count", "name", "id"], name="speaker_claim_count_desc"
            ),
        ),
    ]
