"""Constructions of French news the attribution handles, one per case, each on sentences
written for the test (made-up people; never taken from an evaluation article). Each case
gives the whole claims found (fragments left out) as (kind, first words, speaker's name)."""

from __future__ import annotations

import pytest

from claims.extraction import extract, nlp

CASES = {
    # A pronominal verb of saying after the quotation keeps its "se".
    "pronominal_inverted": (
        "Le conseil s'est réuni lundi soir. « Nous ne lâcherons rien sur ce dossier », "
        "s’inquiète Sophie, trente ans de métier. « On ne peut pas continuer ainsi », "
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
        "« La démarche du gouvernement n'est pas sincère », a déclaré Sophie Marchal devant "
        "la presse. La réforme proposée par le sénateur veut créer une holding. Cette "
        "holding serait au-dessus des chaînes publiques avec un président. Le projet a causé "
        "des controverses au sein de la majorité. Le débat a ensuite porté sur un « club » "
        "de privilégiés.\n« L'audiovisuel public est un bien commun, cela appartient à tous "
        "les Français. »",
        [
            ("direct", "La démarche du gouvernement", "Sophie Marchal"),
            ("direct", "L'audiovisuel public est un bien commun", None),
        ],
    ),
    # A pull quote with no cue repeats words the article quotes again with one.
    "echoed_pull_quote": (
        "« Il y a une lassitude ». La fermeture du service inquiète le personnel. « Depuis "
        "janvier, on attend une réponse. Il y a une lassitude de voir que rien ne bouge », "
        "s'impatiente Hélène Garnier, porte-parole du comité.",
        [
            ("direct", "Il y a une lassitude", "Hélène Garnier"),
            ("direct", "Depuis janvier, on attend", "Hélène Garnier"),
        ],
    ),
    # "…, s'impatiente X, la porte-parole du comité : «…»": an inverted verb before the
    # colon has its speaker after it (the parser tags "impatiente" as an adjective).
    "inverted_verb_before_colon": (
        "Les grévistes ont occupé le hall toute la matinée, les actions locales ne suffisent "
        "plus, s'impatiente Hélène Garnier, la porte-parole du comité : « On demande à être "
        "reçus par le directeur depuis janvier. »",
        [
            ("indirect", "Les grévistes ont occupé le hall", "Hélène Garnier"),
            ("direct", "On demande à être reçus", "Hélène Garnier"),
        ],
    ),
    # The subject before an apposition, not a name inside it.
    "apposition_before_the_verb": (
        "Des luttes que Michel Durand, ardent défenseur des services publics, veut "
        "mutualiser : « l'échelle locale ne permet pas de créer un rapport de force ».",
        [("direct", "l'échelle locale ne permet pas", "Michel Durand")],
    ),
    # A gerund after an inverted incise: its speaker is the incise's.
    "gerund_after_inverted_incise": (
        "« Nous sommes trois à réclamer quelque chose pour notre ego », a affirmé Karim "
        "Benali en précisant qu'il « n'avait pas dormi ni mangé depuis deux jours » lors de "
        "la crise.",
        [
            ("direct", "Nous sommes trois", "Karim Benali"),
            ("direct", "n'avait pas dormi", "Karim Benali"),
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
        "« Il faut mener le combat au niveau national ». Les comités se sont réunis jeudi. "
        "Louis Perrin, leur porte-parole, veut les unir : « si on sauve un service ici, un "
        "autre ferme ailleurs, c'est pour cela qu'il faut mener le combat au niveau "
        "national ».",
        [
            ("direct", "Il faut mener le combat", "Louis Perrin"),
            ("direct", "si on sauve un service", "Louis Perrin"),
        ],
    ),
    # "se trouver" is no verb of saying; "Elle", with no woman named, is the institution the
    # paragraph is about, past a long quotation of someone else.
    "pronoun_for_an_institution_past_a_quotation": (
        "La cour d'appel de Lyon a rendu sa décision jeudi matin devant une salle comble. "
        "« Nous avons gagné le droit d'exister. Le monopole de la ligue est terminé. Les "
        "clubs sont libres de la menace de sanctions et libres de choisir leur avenir, ce que "
        "nous demandions depuis le premier jour de cette procédure », a déclaré Marc "
        "Olivier, le dirigeant du club plaignant, à la sortie de l'audience. Le public a "
        "applaudi longuement. Les avocats de la ligue ont quitté la salle sans un mot pour "
        "les journalistes présents. Le jugement compte plus de quatre-vingts pages et "
        "détaille chaque point soulevé par les parties depuis trois ans de procédure. Elle "
        "considère également que les deux ligues se trouvent dans « une situation d'abus de "
        "position dominante sur le marché ».",
        [
            ("direct", "Nous avons gagné", "Marc Olivier"),
            ("direct", "une situation d'abus", "Cour d'appel de Lyon"),
        ],
    ),
    # An incise between dashes separates the subject from its verb.
    "dashed_incise_before_the_verb": (
        "Le maire Paul Vidal a présenté son budget lundi. Dans un entretien, le maire - qui "
        "a été adjoint aux finances six ans avant d'être élu en mars - a souligné que ce "
        "choix lui semble « plus clair pour les habitants de la commune ».",
        [("direct", "plus clair pour les habitants", "Paul Vidal")],
    ),
    # Reported speech before an inverted pronominal verb, a quotation after its colon.
    "reported_before_inverted_pronominal": (
        "Depuis des mois, les soignants alertent, ces actions locales ne suffisent plus, "
        "s'impatiente Hélène Garnier, la porte-parole du comité : « On demande à être reçus "
        "par le directeur depuis janvier. »",
        [
            ("indirect", "Depuis des mois, les soignants alertent", "Hélène Garnier"),
            ("direct", "On demande à être reçus", "Hélène Garnier"),
        ],
    ),
    # "que si A, B": the condition and the main clause are one statement.
    "reported_condition_then_main_clause": (
        "Les syndicats rappellent que si la confiance des clients s'est érodée, la demande "
        "existe toujours dans la région.",
        [("indirect", "si la confiance des clients s'est érodée, la demande existe", "Syndicats")],
    ),
    # A full name read as part of a title ("la Ligue Atlantique Paul Garnier") is still the
    # person named in full elsewhere in the article.
    "full_name_again": (
        "Au lendemain du vote, le fondateur de la Ligue Atlantique Paul Garnier a assuré que le "
        "projet n'était pas du tout enterré. « C'est un avis sans portée, a estimé Paul "
        "Garnier. Nous continuerons de travailler. »",
        [
            ("indirect", "le projet n'était pas", "Paul Garnier"),
            ("direct", "C'est un avis sans portée", "Paul Garnier"),
            ("direct", "Nous continuerons de travailler", "Paul Garnier"),
        ],
    ),
    # "le ministre": not the director named last, but the man spoken of before her.
    "description_past_someone_else": (
        "« La décision est une bonne nouvelle pour les salariés du site », a déclaré le "
        "ministre de l'Industrie, Bertrand Morel, accompagné de la directrice de la "
        "centrale, Élise Carrel, lors d'une visite.\n\nLe ministre a également affirmé que "
        "l'État étudiait la prolongation d'autres réacteurs de la même génération.",
        [
            ("direct", "La décision est une bonne nouvelle", "Bertrand Morel"),
            ("indirect", "l'État étudiait la prolongation", "Bertrand Morel"),
        ],
    ),
    # A relative clause the parse hangs on the last word of an organisation's name.
    "relative_clause_on_an_organisation": (
        "La direction du groupe a informé les salariés lundi. L'annonce a fait réagir "
        "l'intersyndicale Dupré en Bretagne qui appelle la direction dans un communiqué à "
        "ne « pas aboutir à un drame social après un drame sanitaire ».",
        [
            ("indirect", "la direction dans un communiqué", "Intersyndicale Dupré en Bretagne"),
            ("direct", "pas aboutir à un drame social", "Intersyndicale Dupré en Bretagne"),
        ],
    ),
    # "X : «…»" makes X someone a later "il" can stand for.
    "colon_speaker_is_salient": (
        'Jean Morel a été condamné jeudi.\n\nPaul Garnier : "Le respect de la loi n’est pas '
        'réservé au peuple".\n\nLe député de la majorité s’est exprimé sur X. Il a déclaré '
        "que “la droite et la gauche s’allient pour défendre l'ancien maire”.",
        [
            ("direct", "Le respect de la loi", "Paul Garnier"),
            ("direct", "la droite et la gauche", "Paul Garnier"),
        ],
    ),
    # A relative clause between commas separates the subject from its verb.
    "relative_clause_before_the_verb": (
        "Jean Morel a été condamné jeudi.\n\nL'ancien maire de la commune, qui doit être "
        "bientôt incarcéré après sa condamnation dans cette affaire, a dénoncé au tribunal "
        "une décision « d'une gravité extrême pour l'état de droit ».",
        [("direct", "d'une gravité extrême", "Jean Morel")],
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
    # A participle after a relative clause the parse hung on the inverted verb itself.
    "participle_after_relative_clause_on_the_verb": (
        "« Nous irons jusqu'au bout de ce combat pour les paysans », ont indiqué à la presse "
        "des responsables des Jeunes Éleveurs (JE), qui ont lancé un appel national avec le "
        "principal syndicat, prévoyant « beaucoup de sorties de tracteurs ».",
        [
            ("direct", "Nous irons jusqu'au bout", "responsables des Jeunes Éleveurs"),
            ("direct", "beaucoup de sorties de tracteurs", "responsables des Jeunes Éleveurs"),
        ],
    ),
    # A name with a capitalised particle ("Le", "La"), which the parser cuts in two.
    "name_with_a_particle": (
        "Plusieurs élus ont réagi. Stéphane Le Gall a demandé la grâce du condamné, "
        "considérant ce geste comme « indispensable pour la nation et la fonction ». Louis "
        "Perrin a salué le parcours de l'ancien maire.",
        [
            ("indirect", "la grâce du condamné", "Stéphane Le Gall"),
            ("direct", "indispensable pour la nation", "Stéphane Le Gall"),
            ("indirect", "le parcours de l'ancien maire", "Louis Perrin"),
        ],
    ),
}


def _claims(text, gazetteer):
    found = extract(text, gazetteer, [], nlp.analyze(text)).claims
    return [
        (c.kind, c.text, c.speaker.name if c.speaker else None) for c in found if not c.fragment
    ]


@pytest.mark.parametrize("name", sorted(CASES))
def test_construction(gazetteer, name):
    text, expected = CASES[name]

    claims = _claims(text, gazetteer)

    assert [
        (kind, words[: len(e[1])], who)
        for (kind, words, who), e in zip(claims, expected, strict=False)
    ] == expected
    assert len(claims) == len(expected)


def test_a_reported_clause_ends_at_the_main_clauses_coordinated_participle(gazetteer):
    text = (
        "Claire Morin a critiqué la réforme, estimant que cette pratique représente un grand "
        "danger pour les principes du droit, et rappelant qu'elle-même a fait appel de sa "
        "condamnation."
    )

    claims = _claims(text, gazetteer)

    assert (
        "indirect",
        "cette pratique représente un grand danger pour les principes du droit",
        "Claire Morin",
    ) in claims


def test_a_heading_over_narration_is_no_interview_answer(gazetteer):
    text = (
        "Paul Garnier : les réactions à sa condamnation\n\nJeanne Roux : « Une décision juste "
        "et attendue par tous. »\n\nMarc Petit : Pas de mots, mais un micro arraché\n\nAprès "
        "la déclaration, l'épouse de l'ancien maire a quitté la salle sans rien dire.\n\n"
        "Luc Bernard : « La justice a parlé, il faut la respecter. »"
    )

    claims = _claims(text, gazetteer)

    assert not any(words.startswith("Pas de mots") for _, words, _ in claims)


def test_a_time_is_never_what_was_said(gazetteer):
    text = (
        "Mais Paul Vidal avait réaffirmé dès le lendemain que ces groupes seraient bien des "
        "groupes de niveau. La ministre Anne Roux avait annoncé la semaine dernière une "
        "certaine souplesse dans leur mise en place."
    )

    claims = _claims(text, gazetteer)

    assert not any(words.startswith(("le lendemain", "la semaine")) for _, words, _ in claims)
    assert ("indirect", "ces groupes seraient bien des groupes de niveau", "Paul Vidal") in claims
