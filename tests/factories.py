"""Test data factories: every test builds what it needs from here."""

from __future__ import annotations

import hashlib

import factory
from factory.django import DjangoModelFactory

from claims.choices import SpeakerOrigin
from claims.extraction.normalize import fold, slugify
from claims.models import Alias, Claim, Source, Speaker, Stance, Topic
from claims.services.counts import claim_counts_adjust

ARTICLE = (
    "Le ministre a parlé.\n\n"
    "« Nous irons jusqu'au bout de ce dossier », a déclaré Jean Dupont devant la presse.\n\n"
    "« La coopération doit continuer », a ajouté Marie Curie."
)


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source

    key = factory.Sequence(lambda n: f"source-{n:04d}")
    title = factory.Sequence(lambda n: f"Article {n}")
    outlet = "Le Quotidien"
    language = "fr"
    published = factory.Faker("date_between", start_date="-5y", end_date="today")
    published_precision = "day"
    text = ARTICLE
    content_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.text.encode()).hexdigest())


class SpeakerFactory(DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Personne Numéro{n}")
    name_normalized = factory.LazyAttribute(lambda o: fold(o.name))
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = "person"
    role = ""
    country = "FR"
    origin = SpeakerOrigin.REFERENCE


class AliasFactory(DjangoModelFactory):
    class Meta:
        model = Alias

    speaker = factory.SubFactory(SpeakerFactory)
    name = factory.Sequence(lambda n: f"Alias{n}")
    normalized = factory.LazyAttribute(lambda o: fold(o.name))
    kind = "name"


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Sujet {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    description = ""
    keywords = factory.LazyFunction(lambda: ["coopération"])
    stance_cues = factory.LazyFunction(lambda: {"favor": ["continuer"], "against": ["arrêter"]})


class ClaimFactory(DjangoModelFactory):
    """A claim on the words ``quote`` of its source's text (default: the first « » quote)."""

    class Meta:
        model = Claim

    class Params:
        quote = "Nous irons jusqu'au bout de ce dossier"

    source = factory.SubFactory(SourceFactory)
    speaker = factory.SubFactory(SpeakerFactory)
    start = factory.LazyAttribute(lambda o: o.source.text.index(o.quote))
    end = factory.LazyAttribute(lambda o: o.start + len(o.quote))
    text = factory.LazyAttribute(lambda o: o.source.text[o.start : o.end])
    kind = "direct"
    cue = "a déclaré"
    context = factory.LazyAttribute(lambda o: o.text)
    published = factory.LazyAttribute(lambda o: o.source.published)
    confidence = 0.9

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        claim = super()._create(model_class, *args, **kwargs)
        # As every write in claims.services does: the speaker's stored count follows.
        claim_counts_adjust({claim.speaker_id: 1})
        return claim


class StanceFactory(DjangoModelFactory):
    class Meta:
        model = Stance

    claim = factory.SubFactory(ClaimFactory)
    topic = factory.SubFactory(TopicFactory)
    stance = "favor"
    confidence = 0.7
    method = "auto"
