"""Word lists for French attribution: verbs of saying, role nouns, function words.

The open lists (verbs of saying, role nouns, organisation and relay nouns, nationalities)
are data files in ``claims/extraction/data/``, each with a header saying what it holds and
where it comes from; the closed ones (determiners, auxiliaries, pronouns) stay here. All
entries are folded (lower case, no accents), like the text they are matched against.
"""

from __future__ import annotations

from pathlib import Path

from claims.extraction.normalize import fold

DATA = Path(__file__).resolve().parent / "data"


def _entries(name: str) -> list[str]:
    """The non-comment lines of a data file."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


# --- verbs of saying ---------------------------------------------------------------------

_PRONOMINAL = ("se ", "s'", "s’")


_FLAGS = ("que", "de", "à", "nom", "inf")


def _say_lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """(every lemma, those that introduce "que" / infinitive clauses, those whose noun
    phrase can be what was said, those whose bare infinitive states something: "affirme
    vouloir …"), folded, without the pronoun. The lemmas listed with their pronoun go to
    ``_pronominal``."""
    lemmas, that, nominal, infinitive = set(), set(), set(), set()
    for line in _entries("verbs_of_saying.txt"):
        words = line.split()
        flags = set()
        while len(words) > 1 and words[-1] in _FLAGS:
            flags.add(words.pop())
        lemma = fold(" ".join(words))
        for pronoun in _PRONOMINAL:
            if lemma.startswith(pronoun):
                lemma = lemma[len(pronoun) :]
                _pronominal.add(lemma)
        lemmas.add(lemma)
        if flags & {"que", "de", "à"}:
            that.add(lemma)
        if "nom" in flags:
            nominal.add(lemma)
        if "inf" in flags:
            that.add(lemma)
            infinitive.add(lemma)
    return frozenset(lemmas), frozenset(that), frozenset(nominal), frozenset(infinitive)


_pronominal: set[str] = set()
SAY_LEMMAS, SAY_THAT_LEMMAS, SAY_NOMINAL_LEMMAS, SAY_INFINITIVE_LEMMAS = _say_lexicon()
# Verbs of saying as pronominal verbs ("s'indigner", "se dire"): with "se" before it, any
# other lemma is another verb ("se trouver" is to be somewhere, "se rendre" to go).
SAY_PRONOMINAL_LEMMAS: frozenset[str] = frozenset(_pronominal)

# Irregular verbs of saying: the forms news French uses, folded (participle, present,
# imperfect, simple past, future, conditional, present participle).
_IRREGULAR_FORMS = {
    "dire": "dit dis disent disait disaient dira dirait diront disant dirent",
    "ecrire": "ecrit ecrits ecrite ecrivent ecrivait ecrivaient ecrira ecrivant ecrivit",
    "decrire": "decrit decrivent decrivait decrivant decrivit",
    "conclure": "conclu conclut concluent concluait concluant conclura",
    "repondre": "repondu repond repondent repondait repondant repondra repondit",
    "reconnaitre": "reconnu reconnait reconnaissent reconnaissait reconnaissant reconnut",
    "admettre": "admis admet admettent admettait admettant admit admettra",
    "promettre": "promis promet promettent promettait promettant promit promettra",
    "soutenir": "soutenu soutient soutiennent soutenait soutenant soutint soutiendra",
    "maintenir": "maintenu maintient maintiennent maintenait maintint maintiendra",
    "convenir": "convenu convient conviennent convenait convint",
    "prevenir": "prevenu previent previennent prevenait prevenant prevint previendra",
    "intervenir": "intervenu intervient interviennent intervenait intervenant intervint",
    "souvenir": "souvenu souvient souvenait souvenant",
    "dementir": "dementi dement dementent dementait dementant",
    "poursuivre": "poursuivi poursuit poursuivent poursuivait poursuivant poursuivra",
    "reprendre": "repris reprend reprennent reprenait reprenant reprit",
    "convaincre": "convaincu convainc convainquait convainquant",
    "requerir": "requis requiert requierent requerait requerant",
    "plaindre": "plaint plaignent plaignait plaignant",
    "geindre": "geint geignait geignant",
    "craindre": "craint craignent craignait craignant",
    "croire": "cru croit croient croyait croyant",
    "prevoir": "prevu prevoit prevoient prevoyait prevoyant",
    "predire": "predit predisent predisait predisant",
    "contredire": "contredit contredisent contredisait contredisant",
    "redire": "redit redisent redisait",
    "faire": "fait font faisait faisaient faisant fera ferait fit",
    "mettre": "mis met mettent mettait mettant mit",
    "tenir": "tenu tient tiennent tenait tenant tint",
    "laisser": "laisse laissent laissait laissant laissa",
    "rire": "ri rit rient riait riant",
    "sourire": "souri sourit sourient souriait souriant",
    "rendre": "rendu rend rendent rendait rendant rendit",
    "exclure": "exclu exclut excluent excluait excluant",
    "s'enquerir": "enquiert enquerait enquis",
    "satisfaire": "satisfait satisfaits satisfaite satisfont satisfaisait satisfaisant",
}
_SECOND_GROUP = {
    "applaudir",
    "avertir",
    "reagir",
    "rugir",
    "gemir",
    "rencherir",
    "surencherir",
    "garantir",
    "rejouir",
    "fremir",
}


def _forms(lemma: str) -> set[str]:
    """Folded forms of one single-word lemma."""
    if lemma in _IRREGULAR_FORMS:
        return set(_IRREGULAR_FORMS[lemma].split())
    if lemma in _SECOND_GROUP:
        stem = lemma[:-2]
        return {stem + e for e in "i is it issent issait issaient issant ira irait irent".split()}
    if lemma.endswith("er"):
        stem = lemma[:-2]
        soft = stem + "e" if stem.endswith("g") else stem  # jugeait, jugeant
        forms = {stem + e for e in ("e", "es", "ent", "era", "erait", "eront", "erent")}
        forms |= {soft + e for e in ("ait", "aient", "a", "ant", "erent")}
        forms |= {stem + e for e in ("e", "ee", "es", "ees")}  # participles, folded
        if stem.endswith(("el", "et")):  # appelle, rappelle, jette
            forms |= {stem + stem[-1] + e for e in ("e", "es", "ent", "era", "erait")}
        return forms
    return {lemma}


def _say_forms() -> dict[str, str]:
    """Every folded form of a one-word verb of saying -> its lemma."""
    forms: dict[str, str] = {}
    for lemma in sorted(SAY_LEMMAS):
        if " " not in lemma:
            for form in _forms(lemma):
                forms.setdefault(form, lemma)
    return forms


def _say_locution_forms() -> dict[str, str]:
    """Forms of the locutions ("fait valoir", "met en garde"), the first verb inflected,
    the rest as written -> the locution."""
    forms: dict[str, str] = {}
    for lemma in sorted(SAY_LEMMAS):
        first, _, rest = lemma.partition(" ")
        if rest and first not in ("se", "s"):
            for form in _forms(first):
                forms.setdefault(f"{form} {rest}", lemma)
    return forms


# Forms whose lemma the parser may miss: "s'impatiente", tagged an adjective.
SAY_FORM_LEMMAS: dict[str, str] = _say_forms()
SAY_LOCUTION_FORMS: dict[str, str] = _say_locution_forms()
# Forms that are more often a noun, an adverb or another verb (data file).
SAY_FORMS: frozenset[str] = frozenset(SAY_FORM_LEMMAS) - set(_entries("ambiguous_say_forms.txt"))


# --- nouns ------------------------------------------------------------------------------


def _noun_forms(word: str) -> set[str]:
    folded = fold(word)
    plural = folded + (
        "" if folded.endswith(("s", "x", "z")) else "x" if folded.endswith("au") else "s"
    )
    return {folded, plural}


def _gendered(name: str) -> dict[str, str]:
    """Every folded form of each entry ("directeur/directrice") -> its first form."""
    forms: dict[str, str] = {}
    for line in _entries(name):
        variants = [v.strip() for v in line.split("/")]
        head = fold(variants[0])
        for variant in variants:
            for form in _noun_forms(variant):
                forms.setdefault(form, head)
    return forms


# Role descriptions: every form of each role noun (one word or a fixed phrase) -> its lemma.
ROLE_NOUN_FORMS: dict[str, str] = _gendered("role_nouns.txt")
ORG_NOUN_FORMS: dict[str, str] = _gendered("organisation_nouns.txt")
RELAY_NOUNS: frozenset[str] = frozenset(
    f for w in _entries("relay_nouns.txt") for f in _noun_forms(w)
)
# News agencies by name ("a indiqué à l'AFP", "rapporte Reuters"): relays too.
RELAY_NAMES: frozenset[str] = frozenset(fold(w) for w in _entries("news_agencies.txt"))


def _nationalities() -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for line in _entries("nationalities.txt"):
        adjective, code, country = line.split(" ", 2)
        base = fold(adjective)
        feminine = base + (
            "ne" if base.endswith(("ien", "en")) else "" if base.endswith("e") else "e"
        )
        for form in {base, feminine, base + "s", feminine + "s"}:
            found.setdefault(form, (code, country))
    return found


# "italienne" -> ("IT", "Italie"): a role's nationality, to tell its holder apart.
NATIONALITIES: dict[str, tuple[str, str]] = _nationalities()


# Nouns that make a noun phrase a role description ("le ministre", "la porte-parole").
ROLE_HEADS = frozenset(
    """
    ministre president presidente porte-parole conseiller conseillere secretaire sous-secretaire
    chef cheffe dirigeant dirigeante directeur directrice ambassadeur ambassadrice general
    generale depute deputee senateur senatrice maire chancelier chanceliere premier premiere roi
    reine patron patronne commissaire juge procureur procureure gouverneur gouverneure pdg
    fondateur fondatrice vice-president vice-presidente homologue diplomate commandant amiral
    colonel avocat avocate negociateur negociatrice emissaire envoye envoyee mediateur
    mediatrice pape eveque candidat candidate leader numero chercheur chercheuse professeur
    professeure economiste politologue analyste expert experte specialiste representant
    representante responsable
""".split()
) | frozenset(form for form in ROLE_NOUN_FORMS if " " not in form)
# Heads that name nobody in particular: an agency, an outlet, unnamed sources.
ANONYMOUS_HEADS = frozenset(
    """
    source sources agence journal quotidien hebdomadaire media medias chaine radio television
    site communique depeche document rapport responsables analystes experts observateurs
    diplomates officiels temoins proches entourage
""".split()
)
DEFINITE = frozenset({"le", "la", "l", "les", "son", "sa", "leur", "ce", "cette", "cet"})
DETERMINERS = DEFINITE | frozenset({"un", "une", "des", "du", "notre", "votre", "mon", "ma"})
FORMER = frozenset({"ancien", "ancienne", "ex", "former", "feu"})
ADJ_BEFORE_HEAD = FORMER | frozenset(
    {
        "nouveau",
        "nouvelle",
        "futur",
        "future",
        "actuel",
        "actuelle",
        "puissant",
        "puissante",
        "influent",
        "influente",
        "jeune",
        "vieux",
        "vieille",
        "tout-puissant",
        "premier",
        "haut",
        "haute",
        "meme",
        "autre",
        "sous",
        "vice",
    }
)
# Where a role description stops: "la ministre | aux côtés de son homologue".
ROLE_STOP = frozenset(
    """
    qui que qu lors dans devant aupres pendant apres avant avec depuis par sur en au aux hier
    aujourd et mais ou a avait aurait ont est etait sera sans selon cotes ce cette
    present presente presents presentes interroge interrogee contacte contactee sollicite
    sollicitee joint jointe
""".split()
)  # the last: how the body was reached ("la gendarmerie présente sur les lieux")
FUNCTION_WORDS = frozenset(
    """
    de du des la le les l d a et en au aux un une pour par sur
""".split()
)
AUX = frozenset({"a", "avait", "aurait", "ont", "avaient", "auraient", "aura"})
ADVERBS = frozenset(
    """
    encore aussi egalement ensuite enfin alors notamment d'ailleurs pourtant toutefois deja meme
    simplement clairement lui-meme elle-meme publiquement recemment
""".split()
)
# Nouns of time, which the parser takes for an object ("a annoncé la semaine dernière une
# souplesse"): what was said is never one of them.
TIME_NOUNS = frozenset(
    """
    semaine jour journee mois an annee matin matinee soir soiree nuit veille lendemain fois
    week-end heure minute lundi mardi mercredi jeudi vendredi samedi dimanche
""".split()
)
SUBJECT_PRONOUNS = {"il": "m", "elle": "f"}
PLURAL_PRONOUNS = frozenset({"ils", "elles", "on", "nous", "vous"})
# Capitalised words that start no person's name.
NOT_NAME_WORDS = frozenset(
    """
    le la les l un une des du de d en au aux dans pour par selon et mais ou ce cette ces il elle
    ils elles nous vous on lors quant comme malgre bien depuis apres avant si quand puis car
    donc ainsi pourtant toutefois cependant enfin alors mr mme m monsieur madame janvier fevrier
    dr docteur pr professeur me maitre mgr
    mars avril mai juin juillet aout septembre octobre novembre decembre lundi mardi mercredi
    jeudi vendredi samedi dimanche etats unis unies nations union europeenne europe maison
    blanche new york times institute research policy foreign affaires etrangeres securite
    nationale assemblee generale conseil ministere parlement congres senat otan nato onu kremlin
    pentagone mer noire moyen orient proche sud nord est ouest royaume uni agence france presse
    press tv reuters afp ap bbc cnn washington moscou ankara paris londres berlin kiev kyiv
    bruxelles pekin turquie russie ukraine syrie libye amerique chine iran israel grece crimee
    sotchi philadelphie
""".split()
)
# Nouns that make a noun phrase an institution ("la préfecture de la Vienne").
ORG_HEADS = frozenset(
    """
    ministere prefecture syndicat agence association federation confederation union collectif
    commission autorite direction comite institut observatoire parquet tribunal gendarmerie
    mairie municipalite entreprise societe compagnie cabinet fondation office caisse chambre
    assemblee gouvernement presidence ambassade banque cour organisation ong
    intersyndicale coordination academie universite hopital clinique regie conseil
    """.split()
) | frozenset(form for form in ORG_NOUN_FORMS if " " not in form)
