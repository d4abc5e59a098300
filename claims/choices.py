from django.db import models


class DatePrecision(models.TextChoices):
    YEAR = "year", "Year"
    MONTH = "month", "Month"
    DAY = "day", "Day"


class SpeakerKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organization"


class Gender(models.TextChoices):
    UNKNOWN = "", "Unknown"
    MALE = "m", "Male"
    FEMALE = "f", "Female"


class SpeakerOrigin(models.TextChoices):
    REFERENCE = "reference", "Reference data"
    EXTRACTED = "extracted", "Found by the extractor"
    MANUAL = "manual", "Added by a curator"


class AliasKind(models.TextChoices):
    NAME = "name", "Name or spelling"
    ROLE = "role", "Role description"


class ClaimKind(models.TextChoices):
    DIRECT = "direct", "Direct quote"
    INDIRECT = "indirect", "Reported speech"


class Method(models.TextChoices):
    AUTO = "auto", "Automatic"
    MANUAL = "manual", "Manual"


class StanceMethod(models.TextChoices):
    """Who set a stance: the lexicon's rules, a model trained on curators' stances, a curator."""

    AUTO = "auto", "Lexicon rules"
    MODEL = "model", "Trained model"
    MANUAL = "manual", "Manual"


class ReviewStatus(models.TextChoices):
    UNREVIEWED = "unreviewed", "Unreviewed"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class StanceValue(models.TextChoices):
    FAVOR = "favor", "Favor"
    AGAINST = "against", "Against"
    NEUTRAL = "neutral", "Neutral"
