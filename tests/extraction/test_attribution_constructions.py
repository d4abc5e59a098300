"""Constructions of French news the attribution handles, one per case, each on sentences
written for the test (made-up people; never taken from an evaluation article). Each case
gives the whole claims found (fragments left out) as (kind, first words, speaker's name)."""

from __future__ import annotations

import pytest

from tests.extraction.constructions import assert_claims, claims_of

CASES = {
    # A pronominal verb of saying after the quotation keeps its "se".
    "pronominal_inverted": (
        "Le conseil s'est réuni lundi soir. « Nous ne lâcherons rien sur ce dossier », "
        "s’inquiète Sophie, vingt ans d’ancienneté. « On ne peut pas continuer ainsi », "
        "s'indigne Marc Durand, ouvrier.",
        [
            ("direct", "Nous ne lâcherons rien", "Sophie"),
            ("direct", "On ne peut pas continuer", "Marc Durand"),
        ],
    ),
    # A comma incise may close its sentence inside the marks; both sentences are the
    # speaker's.
    "incise_ending_a_sentence": (
        "Le syndicat a signé l'accord mardi. « C'est un bon accord pour tous, a estimé "
        "Paul Garnier. Nous continuerons de travailler avec la direction sur les salaires. »",
        [
            ("direct", "C'est un bon accord pour tous", "Paul Garnier"),
            ("direct", "Nous continuerons de travailler", "Paul Garnier"),
        ],
    ),
    # A quotation with no cue after paragraphs of narration is nobody's yet: a scare quote
    # in the last sentence does not make it follow on from the statement before.
    "no_continuation_past_narration": (
        "« Le plan de la direction n'est pas sérieux », a déclaré Sophie Marchal devant "
        "les salariés. Le plan présenté par le directeur veut fusionner deux ateliers. Cette "
        "fusion placerait toutes les équipes sous un seul chef. Le projet a divisé "
        "l'encadrement du site. La discussion a ensuite porté sur un « cercle » "
        "de proches.\n« L'atelier est un outil commun, il appartient à tous les "
        "ouvriers. »",
        [
            ("direct", "Le plan de la direction", "Sophie Marchal"),
            ("direct", "L'atelier est un outil commun", None),
        ],
    ),
    # A pull quote with no cue repeats words the article quotes again with one.
    "echoed_pull_quote": (
        "« La patience a des limites ». Le retard du chantier agace les riverains. « Depuis "
        "mars, on attend une date. La patience a des limites quand rien n'avance », "
        "s'impatiente Hélène Garnier, porte-parole de l'association.",
        [
            ("direct", "La patience a des limites", "Hélène Garnier"),
            ("direct", "Depuis mars, on attend", "Hélène Garnier"),
        ],
    ),
    # "…, s'impatiente X, la porte-parole du comité : «…»": an inverted verb before the
    # colon has its speaker after it (the parser tags "impatiente" as an adjective).
    "inverted_verb_before_colon": (
        "Les grévistes ont occupé le hall toute la matinée, les discussions ne mènent à "
        "rien, s'impatiente Hélène Garnier, la déléguée du personnel : « Nous voulons voir "
        "le directeur avant vendredi. »",
        [
            ("indirect", "Les grévistes ont occupé le hall", "Hélène Garnier"),
            ("direct", "Nous voulons voir le directeur", "Hélène Garnier"),
        ],
    ),
    # The subject before an apposition, not a name inside it.
    "apposition_before_the_verb": (
        "Des combats que Michel Durand, fervent soutien des petits commerces, veut "
        "rassembler : « chaque boutique seule ne pèse rien face aux grandes enseignes ».",
        [("direct", "chaque boutique seule ne pèse rien", "Michel Durand")],
    ),
    # A gerund after an inverted incise: its speaker is the incise's.
    "gerund_after_inverted_incise": (
        "« Nous sommes trois à défendre ce dossier depuis le début », a affirmé Karim "
        "Benali en précisant qu'il « n'avait pas pris un seul jour de repos depuis un mois » "
        "lors de la réunion.",
        [
            ("direct", "Nous sommes trois", "Karim Benali"),
            ("direct", "n'avait pas pris un seul jour", "Karim Benali"),
        ],
    ),
    # A coordinated verb after a comma keeps the subject before it.
    "coordinated_verb_before_colon": (
        "Le maire Marc Vidal a présenté le projet aux habitants, a remercié les élus : « Nous "
        "avons tenu parole sur chaque point du programme. »",
        [("direct", "Nous avons tenu parole", "Marc Vidal")],
    ),
    # The repeated words may start inside an elision: "qu'il faut …" holds "Il faut …".
    "echo_inside_an_elision": (
        "« Il faut porter la lutte à l'échelle du pays ». Les collectifs se sont réunis "
        "jeudi. Louis Perrin, leur porte-parole, veut les rassembler : « quand une école est "
        "sauvée ici, une autre ferme plus loin, c'est pour cela qu'il faut porter la lutte à "
        "l'échelle du pays ».",
        [
            ("direct", "Il faut porter la lutte", "Louis Perrin"),
            ("direct", "quand une école est sauvée", "Louis Perrin"),
        ],
    ),
    # "se trouver" is no verb of saying; "Elle", with no woman named, is the institution the
    # paragraph is about, past a long quotation of someone else.
    "pronoun_for_an_institution_past_a_quotation": (
        "La cour d'appel de Lyon a rendu sa décision jeudi matin devant une salle comble. "
        "« Nous avons obtenu ce que nous attendions. Le règlement de la fédération ne tient "
        "plus. Les associations peuvent organiser leurs tournois et fixer seules leur "
        "calendrier, ce que nous réclamions depuis le début de cette procédure », a déclaré "
        "Marc Olivier, le président de l'association plaignante, à la sortie de l'audience. Le public a "
        "applaudi longuement. Les avocats de la ligue ont quitté la salle sans un mot pour "
        "les journalistes présents. Le jugement compte plus de quatre-vingts pages et "
        "détaille chaque point soulevé par les parties depuis trois ans de procédure. Elle "
        "considère également que les deux fédérations se trouvent dans « une position de force "
        "excessive et durable sur tout le marché national des tournois ».",
        [
            ("direct", "Nous avons obtenu", "Marc Olivier"),
            ("direct", "une position de force", "Cour d'appel de Lyon"),
        ],
    ),
    # An incise between dashes separates the subject from its verb.
    "dashed_incise_before_the_verb": (
        "Le maire Paul Vidal a présenté son budget lundi. Dans un entretien, le maire - qui "
        "a été adjoint aux finances six ans avant d'être élu en mars - a souligné que ce "
        "choix lui semble « plus lisible pour les contribuables de la commune ».",
        [("direct", "plus lisible pour les contribuables", "Paul Vidal")],
    ),
    # Reported speech before an inverted pronominal verb, a quotation after its colon.
    "reported_before_inverted_pronominal": (
        "Depuis l'automne, les parents écrivent au rectorat, ces courriers ne changent rien, "
        "s'impatiente Hélène Garnier, la présidente de l'association : « Nous attendons une "
        "réponse depuis octobre. »",
        [
            ("indirect", "Depuis l'automne, les parents écrivent", "Hélène Garnier"),
            ("direct", "Nous attendons une réponse", "Hélène Garnier"),
        ],
    ),
    # "que si A, B": the condition and the main clause are one statement.
    "reported_condition_then_main_clause": (
        "Les syndicats rappellent que si les commandes ont baissé, la production continue "
        "toujours dans la région.",
        [("indirect", "si les commandes ont baissé, la production continue", "Syndicats")],
    ),
    # A full name read as part of a title ("la Ligue Atlantique Paul Garnier") is still the
    # person named in full elsewhere in the article.
    "full_name_again": (
        "Au lendemain du vote, le fondateur de la Ligue Atlantique Paul Garnier a assuré que le "
        "projet restait bien d'actualité. « C'est une opinion parmi d'autres, a estimé Paul "
        "Garnier. Nous poursuivrons notre route. »",
        [
            ("indirect", "le projet restait bien", "Paul Garnier"),
            ("direct", "C'est une opinion parmi d'autres", "Paul Garnier"),
            ("direct", "Nous poursuivrons notre route", "Paul Garnier"),
        ],
    ),
    # "le ministre": not the director named last, but the man spoken of before her.
    "description_past_someone_else": (
        "« Ce choix rassure enfin toutes les équipes de la centrale », a déclaré le "
        "ministre de l'Industrie, Bertrand Morel, accompagné de la directrice de la "
        "centrale, Élise Carrel, lors d'une visite.\n\nLe ministre a également affirmé que "
        "l'État étudiait la prolongation d'autres réacteurs de la même génération.",
        [
            ("direct", "Ce choix rassure enfin", "Bertrand Morel"),
            ("indirect", "l'État étudiait la prolongation", "Bertrand Morel"),
        ],
    ),
    # A relative clause the parse hangs on the last word of an organisation's name.
    "relative_clause_on_an_organisation": (
        "La direction de l'entreprise a réuni le personnel lundi. L'annonce a fait réagir "
        "l'intersyndicale Dupré en Bretagne qui appelle la direction dans un communiqué à "
        "ne « pas ajouter une crise sociale à la crise des ventes ».",
        [
            ("indirect", "la direction dans un communiqué", "Intersyndicale Dupré en Bretagne"),
            ("direct", "pas ajouter une crise sociale", "Intersyndicale Dupré en Bretagne"),
        ],
    ),
    # "X : «…»" makes X someone a later "il" can stand for.
    "colon_speaker_is_salient": (
        'Jean Morel a été condamné jeudi.\n\nPaul Garnier : "La justice doit passer pour '
        'tout le monde".\n\nLe député de la majorité s’est exprimé sur X. Il a déclaré '
        "que “les deux camps font bloc pour protéger l'ancien maire”.",
        [
            ("direct", "La justice doit passer", "Paul Garnier"),
            ("direct", "les deux camps font bloc", "Paul Garnier"),
        ],
    ),
    # A relative clause between commas separates the subject from its verb.
    "relative_clause_before_the_verb": (
        "Jean Morel a été condamné jeudi.\n\nL'ancien maire de la commune, qui doit "
        "bientôt quitter ses fonctions après sa condamnation dans ce dossier, a dénoncé au "
        "tribunal une décision « d'une sévérité inouïe pour un élu local ».",
        [("direct", "d'une sévérité inouïe", "Jean Morel")],
    ),
    # After "»," a verb of saying the parser tags a noun or an adjective ("juge", "critique").
    "incise_verb_tagged_a_noun": (
        "« Ce n'est pas acceptable pour les familles du quartier », juge pour sa part Marc "
        "Petit, conseiller municipal. « Le projet a été mené sans la moindre concertation », "
        "critique Julie Roche, riveraine.",
        [
            ("direct", "Ce n'est pas acceptable", "Marc Petit"),
            ("direct", "Le projet a été mené", "Julie Roche"),
        ],
    ),
    # "X, maire de Y, a lui aussi réagi." then a quotation: the parser made the name the
    # sentence's root.
    "reacted_with_apposition": (
        "Paul Garnier, maire de Lunel, a lui aussi réagi.\n\n« C'est une décision "
        "incompréhensible pour nos habitants et nos commerçants. »",
        [("direct", "C'est une décision incompréhensible", "Paul Garnier")],
    ),
    # "l'élue" says what someone is, not another office than "présidente"; a participle
    # before the subject ("Interrogée sur …,") is no statement.
    "generic_description_and_participle": (
        "La présidente de la région, Anne Morin, a reçu les élus. « Le budget sera tenu », "
        "a-t-elle assuré. Interrogée sur les délais, l'élue a précisé : « Les travaux "
        "commenceront en mai prochain. »",
        [
            ("direct", "Le budget sera tenu", "Anne Morin"),
            ("direct", "Les travaux commenceront", "Anne Morin"),
        ],
    ),
    # Reported speech before an inverted pronoun, or after "selon lui" / "d'après elle".
    "reported_inverted_pronoun_and_stressed_pronoun": (
        "Le maire Paul Vidal a visité le site lundi. Le chantier reprendra en mars, "
        "précise-t-il devant les élus. La directrice Anne Roux l'accompagnait. D'après elle, "
        "l'usine ne fermera pas avant la fin de l'année.",
        [
            ("indirect", "Le chantier reprendra en mars", "Paul Vidal"),
            ("indirect", "l'usine ne fermera pas", "Anne Roux"),
        ],
    ),
    # A verb of saying, a colon, and what was said without quotation marks.
    "reported_after_a_colon": (
        "La maire Anne Morin a prévenu : la piscine restera fermée jusqu'à nouvel ordre.",
        [("indirect", "la piscine restera fermée", "Anne Morin")],
    ),
    # A name with a capitalised particle ("Le", "La"), which the parser cuts in two.
    "name_with_a_particle": (
        "Plusieurs élus ont réagi. Stéphane Le Gall a demandé la réouverture du dossier, "
        "jugeant ce réexamen « nécessaire pour la confiance des habitants ». Louis "
        "Perrin a salué le travail des enquêteurs du département.",
        [
            ("indirect", "la réouverture du dossier", "Stéphane Le Gall"),
            ("direct", "nécessaire pour la confiance", "Stéphane Le Gall"),
            ("indirect", "le travail des enquêteurs", "Louis Perrin"),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_construction(gazetteer, name):
    text, expected = CASES[name]

    assert_claims(claims_of(text, gazetteer), expected)


def test_a_reported_clause_ends_at_the_main_clauses_coordinated_participle(gazetteer):
    text = (
        "Claire Morin a critiqué la réforme, estimant que cette règle crée un vrai risque "
        "pour les petites communes, et rappelant qu'elle-même avait voté contre le texte."
    )

    claims = claims_of(text, gazetteer)

    assert claims == [
        ("indirect", "cette règle crée un vrai risque pour les petites communes", "Claire Morin"),
        ("indirect", "elle-même avait voté contre le texte", "Claire Morin"),
    ]


def test_a_heading_over_narration_is_no_interview_answer(gazetteer):
    text = (
        "Les réactions à la condamnation de Paul Garnier\n\nJeanne Roux : « Une décision juste "
        "et attendue par tous. »\n\nMarc Petit : Pas de mots, mais un micro arraché\n\nAprès "
        "la déclaration, l'épouse de l'ancien maire a quitté la salle sans rien dire.\n\n"
        "Luc Bernard : « La justice a parlé, il faut la respecter. »"
    )

    claims = claims_of(text, gazetteer)

    assert claims == [
        ("direct", "Une décision juste et attendue par tous.", "Jeanne Roux"),
        ("direct", "La justice a parlé, il faut la respecter.", "Luc Bernard"),
    ]


def test_a_time_is_never_what_was_said(gazetteer):
    text = (
        "Mais Paul Vidal avait répété dès le lendemain que ces classes seraient bien des "
        "classes réduites. La ministre Anne Roux avait annoncé la semaine dernière une "
        "certaine prudence dans leur ouverture."
    )

    claims = claims_of(text, gazetteer)

    # "le lendemain" and "la semaine dernière" are no claims; what was announced is one.
    assert claims == [
        ("indirect", "ces classes seraient bien des classes réduites", "Paul Vidal"),
        ("indirect", "une certaine prudence", "Anne Roux"),
    ]
