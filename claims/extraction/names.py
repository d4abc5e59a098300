"""People's names: the gender a first name suggests, for "il"/"elle" resolution."""

from __future__ import annotations

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
    first = parts[0].split("-")[0]
    detector = _detector()
    for country in ("france", None):
        guess = detector.get_gender(first, country) if country else detector.get_gender(first)
        if guess in _MALE:
            return "m"
        if guess in _FEMALE:
            return "f"
    return ""
