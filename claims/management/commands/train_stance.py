"""``manage.py train_stance``: fit the stance classifier on every curated stance."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.extraction.stance.learning import MIN_LINK_EXAMPLES
from claims.services import stancing


class Command(BaseCommand):
    help = (
        "Fit a stance classifier on the stances curators set, changed or confirmed; report "
        "its cross-validated accuracy (folds by article) and store it as the newest version. "
        "Loads and `restance` then use it for automatic stances (never manual ones)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Fit and report; store nothing.")

    def handle(self, *args, dry_run: bool, verbosity: int, **options) -> None:
        def progress(done: int, total: int) -> None:
            if verbosity >= 2:
                self.stderr.write(f"  parsed {done}/{total} articles")

        try:
            report = stancing.stance_model_train(dry_run=dry_run, progress=progress)
        except stancing.TrainingError as exc:
            raise CommandError(str(exc)) from None
        cv = report.cross_validation
        accuracy = "n/a" if cv["accuracy"] is None else f"{100 * cv['accuracy']:.1f}%"
        labels = ", ".join(f"{n} {label}" for label, n in sorted(report.labels.items()))
        self.stdout.write(
            f"{report.examples} curated stances ({labels}) from {len(cv['by_article'])} "
            f"articles; cross-validated accuracy {accuracy} over {cv['folds']} folds "
            f"by article; {report.seconds:.1f} s."
        )
        link = cv.get("link")
        if report.link_model:
            held = (
                "not cross-validated (no fold held a dismissal out)"
                if link is None
                else f"held out, {link['dismissals_doubted']} of {link['dismissals']} dismissals "
                f"and {link['stances_doubted']} of {link['stances']} curated stances were doubted"
            )
            self.stdout.write(
                f"{report.dismissals} dismissed stances teach which claims are off-topic: "
                f"{held} (doubted pairs are kept as suggestions for review)."
            )
        elif report.dismissals:
            self.stdout.write(
                f"{report.dismissals} dismissed stance(s): off-topic pairs are learned from "
                f"{MIN_LINK_EXAMPLES} on."
            )
        if report.model is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Stored {report.model.label}. Run `python manage.py restance` to apply "
                    "it to the claims already stored."
                )
            )
        else:
            self.stdout.write("Dry run: nothing stored.")
