"""People's names: the gender a first name suggests, for "il"/"elle" resolution."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_MALE = {"male", "mostly_male"}
_FEMALE = {"female", "mostly_female"}


@lru_cache(maxsize=1)
def _detector():
    import gender_guesser.detector as detector

    return detector.Detector(case_sensitive=False)


@lru_cache(maxsize=4096)
def first_name_gender(full_name: str) -> str:
    """ "m", "f" or "" from a full name's first name, French usage first.

    >>> first_name_gender("Claire Dumont"), first_name_gender("Jean-Marc Leroy")
    ('f', 'm')
    """
    parts = full_name.split()
    if len(parts) < 2:
        return ""
    return given_name_gender(parts[0])


@lru_cache(maxsize=4096)
def given_name_gender(word: str) -> str:
    """ "m", "f" or "" for one word read as a first name ("Hélène" -> "f").

    >>> given_name_gender("Hélène"), given_name_gender("Gérard"), given_name_gender("Loire")
    ('f', 'm', '')
    """
    first = word.split("-")[0]
    if not first[:1].isupper():
        return ""
    detector = _detector()
    # The lexicon spells some French names without their accents ("Eloise").
    plain = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode()
    for name in dict.fromkeys((first, plain)):
        for country in ("france", None):
            guess = detector.get_gender(name, country) if country else detector.get_gender(name)
            if guess in _MALE:
                return "m"
            if guess in _FEMALE:
                return "f"
    return ""
