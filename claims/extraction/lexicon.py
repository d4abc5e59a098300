"""Word lists for French attribution: verbs of saying, role nouns, function words.

All entries are folded (lower case, no accents), like the text they are matched against.
"""

from __future__ import annotations

# -er verbs of saying; their forms are generated below (folding makes martèle = martele).
_ER_VERBS = """
    declarer affirmer ajouter expliquer souligner estimer indiquer preciser noter assurer
    annoncer confirmer insister rappeler relever lancer arguer fustiger exhorter marteler
    commenter raconter confier deplorer denoncer regretter avouer resumer observer signaler
    juger constater plaider protester reclamer nuancer reiterer repeter menacer accuser
    critiquer saluer clamer proclamer exclamer interroger demander retorquer repliquer objecter
    ironiser tweeter souhaiter esperer considerer notifier informer detailler developper
    justifier prevenir temoigner trancher tonner indigner insurger inquieter alarmer feliciter
    rapporter relater recommander conseiller proner certifier jurer reprocher mettre-en-garde
    insister enchainer poursuivre tempeter railler lacher glisser susurrer
    murmurer crier hurler ecrire temperer resumer souffler trancher regretter rassurer
""".split()

_IRREGULAR = """
    dit disait disant disent diront dira dirait ecrit ecrivait ecrivant ecrivent conclu conclut
    concluait concluant poursuivi poursuit poursuivait poursuivant repondu repond repondait
    repondant repondent admis admet admettait admettant reconnu reconnait reconnaissait
    reconnaissant promis promet promettait promettant soutenu soutient soutenait soutenant
    soutiennent previent prevenu prevenait prevenant averti avertit avertissait avertissant
    reagi reagit reagissait reagissant maintenu maintient maintenait maintenant garanti garantit
    garantissait garantissant dementi dement dementait predit predisait convenu convient rejoui
    rejouit interjete rencheri rencherit
""".split()


def _er_forms(lemma: str) -> set[str]:
    stem = lemma[:-2]
    return {stem + s for s in ("e", "es", "ait", "a", "ant", "ent", "aient", "era", "erait")}


def _verb_forms() -> frozenset[str]:
    forms: set[str] = set(_IRREGULAR)
    for lemma in _ER_VERBS:
        if lemma.endswith("er") and "-" not in lemma:
            forms |= _er_forms(lemma)
    # "maintenant" is far more often the adverb than the participle.
    forms -= {"maintenant", "developpe"}
    return frozenset(forms)


SAY_FORMS: frozenset[str] = _verb_forms()

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
)
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
""".split()
)
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
SUBJECT_PRONOUNS = {"il": "m", "elle": "f"}
PLURAL_PRONOUNS = frozenset({"ils", "elles", "on", "nous", "vous"})
# Capitalised words that start no person's name.
NOT_NAME_WORDS = frozenset(
    """
    le la les l un une des du de d en au aux dans pour par selon et mais ou ce cette ces il elle
    ils elles nous vous on lors quant comme malgre bien depuis apres avant si quand puis car
    donc ainsi pourtant toutefois cependant enfin alors mr mme m monsieur madame janvier fevrier
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
)
