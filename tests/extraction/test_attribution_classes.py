"""Each class of attribution the parse-driven extractor handles, on a small article
written for the test (never taken from an evaluation article)."""

from __future__ import annotations

import pytest

from claims.extraction import extract, nlp

CASES = {
    "role_only": "Le suspect a été placé en garde à vue mardi. « Les faits sont d'une extrême gravité », a prévenu le procureur de Lyon.",
    "nationality": "La ministre française Claire Dumont et la ministre italienne Giulia Rossi se sont rencontrées à Rome. « Nous avancerons ensemble sur ce dossier », a déclaré la ministre italienne.",
    "pronominal": "« C'est une décision scandaleuse et injuste pour les familles », s'est indignée Marie Durand, présidente de l'association.",
    "reacted": "Paul Girard a lui aussi réagi.\n\n« Cette réforme va dans le mauvais sens et nous le dirons au préfet. »",
    "apposition": "« Je n'ai rien vu ce soir-là, je le jure devant vous », a déclaré l'un des prévenus, un homme de 41 ans originaire de Lyon, Paul Martin.",
    "participle": "Le maire Jean Dupont a répondu à Sophie Leroy, qui avait jugé le projet trop coûteux, en affirmant que « le budget sera tenu jusqu'au dernier euro ».",
    "selon": "Selon M. Bernard Petit, « la concertation a été menée avec tous les habitants du quartier ».",
    "organisation": "« Aucune consigne n'a été donnée aux forces de l'ordre ce jour-là », a indiqué le ministère de l'Intérieur dans un communiqué.",
    "incise": "« Nous irons, a-t-il dit, jusqu'au bout de ce combat pour les salariés », a poursuivi Marc Lefèvre.",
    "reported_que": "La syndicaliste Anne Moreau affirme que la grève sera reconduite jeudi dans toutes les usines du groupe.",
    "reported_selon": "Selon le préfet de la Gironde, les routes seront rouvertes à la circulation avant la fin de la semaine.",
    "reported_inverted": "Les travaux reprendront au printemps sur l'ensemble du chantier, a indiqué la maire Nathalie Blanc.",
    "reported_participle": "Le ministre Louis Garnier a défendu son texte devant les députés, affirmant que la réforme protégera les plus modestes.",
    "unknown": "Sur la place, la colère gronde. « On ne nous écoute jamais, on nous méprise depuis des années. »",
    "coordinated_offices": "La séance a duré trois heures. Pierre Lambert, maire de la commune et président du syndicat des eaux, a présenté le budget. « Nous ne toucherons pas aux tarifs cette année », a assuré le président du syndicat intercommunal.",
    # The same description, far from any name, names whom it named before.
    "repeated_description": "Hélène Vasseur veut rassurer les familles. Ce jeudi, la directrice de l'hôpital Saint-Louis a reçu les représentants du personnel. « Aucun service ne fermera avant l'été », a indiqué la directrice de l'établissement. "
    + "Les syndicats restent prudents et attendent des engagements écrits sur les effectifs, sur les horaires de nuit et sur le remplacement des départs à la retraite, qui pèsent sur les équipes depuis des mois. "
    * 7
    + "« Nous tiendrons parole sur les recrutements prévus », a ensuite promis la directrice de l'établissement.",
    "reported_inverted_last": "La commune a décidé de suspendre les travaux du nouveau quartier pour une durée de trois mois, a annoncé lundi le maire.",
    "reported_inverted_quoted_words": "La mairie ne reculera pas « face aux pressions » des promoteurs sur le projet du nouveau quartier, a affirmé hier le premier adjoint.",
    "reported_participle_not_inverted": "Les riverains ont bloqué la route du port pendant deux heures, estimant que le chantier menace leurs maisons.",
    "reported_no_speaker_noun": "La loi votée l'an dernier, qui est entrée en vigueur en janvier, prévoit des amendes pour les entreprises du secteur.",
    "reported_and_that": "Le directeur de l'école Marc Vidal avait affirmé que les travaux seraient terminés avant la rentrée et que les élèves retrouveraient leurs classes en septembre.",
    "reported_quoted_words": "La préfète Claire Morin a assuré que l'État mettait en garde les exploitants contre « les risques » de cette pratique.",
    # One sentence of narration, then a paragraph break: the quotation goes on; the
    # organisation in a relative clause speaks for no one.
    "continuation_past_paragraph": "« Je n'ai appris la nouvelle que ce matin, comme tout le monde », a reconnu Paul Martin à la sortie de la réunion du conseil, devant une dizaine de journalistes qui l'interrogeaient sur la relation que le syndicat entretient depuis des années avec les salariés du site de production.\n\n« Nous devons rétablir la confiance avec chacun d'entre eux, et vite. »",
    # "ont indiqué à l'Agence France-Presse (AFP) des responsables des …": past the relay
    # and its acronym, officials of a named body (whose words the parser calls nouns).
    "officials_after_relay": "« Nous irons jusqu'au bout de ce combat pour les paysans », ont indiqué à l'Agence France-Presse (AFP) des responsables des Jeunes Éleveurs.",
    # An organisation's acronym in parentheses is no part of its name.
    "acronym_after_organisation": "« Ce n'est pas terminé pour nous », ont réagi des membres des Jeunes Pêcheurs (JPC). Selon la Ligue des usagers (LDU), la hausse est illégale.",
    # A person noun no list holds, after the verb: the person just named (a lone first
    # name the recognizer calls a person), else a new speaker named by it.
    "unlisted_role_noun": "À Murat, la grêle a couché les vergers. La serre de Marcel n'a pas tenu. « Dix ans de travail perdus en une heure », soupire l'horticulteur.\n\n« Le calme est revenu en fin de soirée », précise un arboriculteur.",
    # "il" after a paragraph that names someone else: that person, not an earlier subject.
    "pronoun_after_new_paragraph": "Le maire, Paul Roux, a visité les quartiers sinistrés mardi matin.\n\nPlus bas, le vent a emporté le toit de la maison de Marcel, un retraité de 80 ans qui vit seul.\n\n« J'ai levé les yeux et j'ai vu le ciel », raconte-t-il.",
    # Two coordinated roles before the name, after a verb the tagger takes for a noun.
    "coordinated_roles_then_name": "« Le budget tiendra, et nous le voterons sans trembler ! » note le député socialiste de la Creuse et président de la commission des finances publiques, Paul Lenoir, à l'origine de l'amendement.",
    # "Q : … R : « … »": the answers are the words of the person the article quotes.
    "question_answer_interview": "« Nous avons joué juste », a déclaré la capitaine des Bleues, Léa Garnier, après la finale.\n\nQ : Que retenez-vous de cette saison ?\n\nR : « Beaucoup de travail et un groupe très uni. Nous avons su rester calmes dans les moments durs. »\n\nQ : Et la suite ?\n\nR : « On va souffler quelques jours, puis préparer le championnat avec sérieux. »",
    # "«…», pour X" / "«…», selon X": the complement right after the marks names the speaker.
    "selon_after_quote": "Plusieurs accusés disent avoir tout ignoré. « Cette défense ne tient pas », pour Marc Vidal. « Le dossier est solide », selon la procureure Anne Brun.",
    # "résume pour l'AFP X": past the complement that says where the words were said.
    "relay_complement_before_name": "« Il y a un sentiment de trahison », résume pour l'AFP Paul Morin, coordinateur du réseau des usagers.",
    # A quotation inside the subject: the name before the verb is still its speaker.
    "quote_marks_inside_subject": 'L\'ex-capitaine et figure des "Blue Lions" Tom Archer assure aussi que "le club restera uni" cette saison.',
    # Locutions of saying, a title before a surname, a body after "-t-on à", a
    # complement between the verb and the name.
    "locution_title_body_complement": "La cheffe du service, Claire Roux, a reçu les familles. « Les analyses seront rendues sous huit jours », a fait valoir le Pr Roux. « Trois navettes rouleront dès juin », indique-t-on à la mairie de Lille. « Nous resterons très vigilants », a dit à la radio Julie Caron.",
    # "l'un des locataires": one of a group, named by it, unless a name follows.
    "one_of_a_group": "Le gîte a brûlé mardi. « On a vu les flammes dès qu'on sortait de la maison », raconte l'un des locataires enveloppé dans une couverture. « Nous avons tout perdu cette nuit-là », a déclaré l'une des voisines, une femme de 41 ans, Julie Caron.",
    # A line ending with a colon names who speaks in the quotation under it, even when
    # the quotation repeats words the article gave someone else.
    "colon_line_above": "« Nous signerons cet accord demain », a promis Marc Dumas mardi.\nDéclaration de Paul Roux à l'issue de la réunion :\n« Marc Dumas disait hier : nous signerons cet accord demain. Nous ne céderons rien sur ce dossier. »",
    # What must stay unattributed or keep its speaker: "il" continuing the subject in the
    # new paragraph, a document after the verb, the person spoken to, a day after a body.
    "no_wrong_speaker": "Paul Dupont est arrivé à la mairie mardi.\n\nIl a longuement parlé avec Pierre Martin. « Nous avons trouvé un accord sur le budget », a-t-il dit. « Les mesures entrent en vigueur lundi », précise le décret. « Nous signerons demain matin », a répondu à Pierre Martin sa voisine. « Un centre par région verra le jour », précise-t-on à la mairie depuis lundi.",
    "caption": "« Nous avons tout perdu en une nuit, il ne reste plus rien de la maison » Julien, habitant de la rue des Lilas",
}

# (kind, words, speaker's name or None, how the speaker was found), fragments left out
EXPECTED = {
    "role_only": [
        ("direct", "Les faits sont d'une extrême gravité", "procureur de Lyon", "role-new")
    ],
    "nationality": [("direct", "Nous avancerons ensemble sur ce dossier", "Giulia Rossi", "role")],
    "pronominal": [
        (
            "direct",
            "C'est une décision scandaleuse et injuste pour les familles",
            "Marie Durand",
            "new",
        )
    ],
    "reacted": [
        (
            "direct",
            "Cette réforme va dans le mauvais sens et nous le dirons au préfet.",
            "Paul Girard",
            "previous-subject",
        )
    ],
    "apposition": [
        ("direct", "Je n'ai rien vu ce soir-là, je le jure devant vous", "Paul Martin", "new")
    ],
    "participle": [("direct", "le budget sera tenu jusqu'au dernier euro", "Jean Dupont", "new")],
    "selon": [
        (
            "direct",
            "la concertation a été menée avec tous les habitants du quartier",
            "Bernard Petit",
            "new",
        )
    ],
    "organisation": [
        (
            "direct",
            "Aucune consigne n'a été donnée aux forces de l'ordre ce jour-là",
            "Ministère de l'Intérieur",
            "new",
        )
    ],
    "incise": [("direct", "jusqu'au bout de ce combat pour les salariés", "Marc Lefèvre", "new")],
    "reported_que": [
        (
            "indirect",
            "la grève sera reconduite jeudi dans toutes les usines du groupe",
            "Anne Moreau",
            "new",
        )
    ],
    "reported_selon": [
        (
            "indirect",
            "les routes seront rouvertes à la circulation avant la fin de la semaine",
            "préfet de la Gironde",
            "role-new",
        )
    ],
    "reported_inverted": [
        (
            "indirect",
            "Les travaux reprendront au printemps sur l'ensemble du chantier",
            "Nathalie Blanc",
            "new",
        )
    ],
    "reported_participle": [
        ("indirect", "la réforme protégera les plus modestes", "Louis Garnier", "new")
    ],
    "unknown": [
        ("direct", "On ne nous écoute jamais, on nous méprise depuis des années.", None, None)
    ],
    "coordinated_offices": [
        ("direct", "Nous ne toucherons pas aux tarifs cette année", "Pierre Lambert", "role")
    ],
    "repeated_description": [
        ("direct", "Aucun service ne fermera avant l'été", "Hélène Vasseur", "role-anaphor"),
        (
            "direct",
            "Nous tiendrons parole sur les recrutements prévus",
            "Hélène Vasseur",
            "role-repeated",
        ),
    ],
    "reported_inverted_last": [
        (
            "indirect",
            "La commune a décidé de suspendre les travaux du nouveau quartier pour une durée de trois mois",
            "maire",
            "role-new",
        )
    ],
    "reported_inverted_quoted_words": [
        (
            "indirect",
            "La mairie ne reculera pas « face aux pressions » des promoteurs sur le projet du nouveau quartier",
            "premier adjoint",
            "role-new",
        )
    ],
    "reported_participle_not_inverted": [
        ("indirect", "le chantier menace leurs maisons", "riverains", "role-new")
    ],
    "reported_no_speaker_noun": [],
    "reported_and_that": [
        (
            "indirect",
            "les travaux seraient terminés avant la rentrée et que les élèves retrouveraient leurs classes en septembre",
            "Marc Vidal",
            "new",
        )
    ],
    "reported_quoted_words": [
        (
            "indirect",
            "l'État mettait en garde les exploitants contre « les risques » de cette pratique",
            "Claire Morin",
            "new",
        )
    ],
    "continuation_past_paragraph": [
        (
            "direct",
            "Je n'ai appris la nouvelle que ce matin, comme tout le monde",
            "Paul Martin",
            "new",
        ),
        (
            "direct",
            "Nous devons rétablir la confiance avec chacun d'entre eux, et vite.",
            "Paul Martin",
            "continuation",
        ),
    ],
    "officials_after_relay": [
        (
            "direct",
            "Nous irons jusqu'au bout de ce combat pour les paysans",
            "responsables des Jeunes Éleveurs",
            "role-new",
        )
    ],
    "acronym_after_organisation": [
        ("direct", "Ce n'est pas terminé pour nous", "membres des Jeunes Pêcheurs", "role-new"),
        ("indirect", "la hausse est illégale", "Ligue des usagers", "new"),
    ],
    "unlisted_role_noun": [
        ("direct", "Dix ans de travail perdus en une heure", "Marcel", "role-anaphor"),
        ("direct", "Le calme est revenu en fin de soirée", "arboriculteur", "role-new"),
    ],
    "pronoun_after_new_paragraph": [
        ("direct", "J'ai levé les yeux et j'ai vu le ciel", "Marcel", "pronoun"),
    ],
    "coordinated_roles_then_name": [
        (
            "direct",
            "Le budget tiendra, et nous le voterons sans trembler !",
            "Paul Lenoir",
            "new",
        )
    ],
    "question_answer_interview": [
        ("direct", "Nous avons joué juste", "Léa Garnier", "new"),
        (
            "direct",
            "Beaucoup de travail et un groupe très uni. Nous avons su rester calmes dans les moments durs.",
            "Léa Garnier",
            "interview",
        ),
        (
            "direct",
            "On va souffler quelques jours, puis préparer le championnat avec sérieux.",
            "Léa Garnier",
            "interview",
        ),
    ],
    "selon_after_quote": [
        ("indirect", "avoir tout ignoré", "Plusieurs accusés", "role-new"),
        ("direct", "Cette défense ne tient pas", "Marc Vidal", "new"),
        ("direct", "Le dossier est solide", "Anne Brun", "new"),
    ],
    "relay_complement_before_name": [
        ("direct", "Il y a un sentiment de trahison", "Paul Morin", "new"),
    ],
    "quote_marks_inside_subject": [
        ("indirect", '"le club restera uni" cette saison', "Tom Archer", "new"),
        ("direct", "le club restera uni", "Tom Archer", "new"),
    ],
    "locution_title_body_complement": [
        ("direct", "Les analyses seront rendues sous huit jours", "Claire Roux", "surname"),
        ("direct", "Trois navettes rouleront dès juin", "Mairie de Lille", "new"),
        ("direct", "Nous resterons très vigilants", "Julie Caron", "new"),
    ],
    "one_of_a_group": [
        (
            "direct",
            "On a vu les flammes dès qu'on sortait de la maison",
            "un des locataires",
            "role-new",
        ),
        ("direct", "Nous avons tout perdu cette nuit-là", "Julie Caron", "new"),
    ],
    "colon_line_above": [
        ("direct", "Nous signerons cet accord demain", "Marc Dumas", "new"),
        (
            "direct",
            "Marc Dumas disait hier : nous signerons cet accord demain. Nous ne céderons rien sur ce dossier.",
            "Paul Roux",
            "heading",
        ),
    ],
    "no_wrong_speaker": [
        ("direct", "Nous avons trouvé un accord sur le budget", "Paul Dupont", "pronoun"),
        ("direct", "Les mesures entrent en vigueur lundi", None, None),
        ("direct", "Nous signerons demain matin", None, None),
        ("direct", "Un centre par région verra le jour", "Mairie", "new"),
    ],
    "caption": [
        (
            "direct",
            "Nous avons tout perdu en une nuit, il ne reste plus rien de la maison",
            "Julien",
            "caption",
        )
    ],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_attribution_class(gazetteer, name):
    text = CASES[name]

    claims = [c for c in extract(text, gazetteer, [], nlp.analyze(text)).claims if not c.fragment]

    assert [
        (
            c.kind,
            c.text,
            c.speaker.name if c.speaker else None,
            c.speaker.how if c.speaker else None,
        )
        for c in claims
    ] == EXPECTED[name]


def test_the_cue_keeps_the_acronym_the_speaker_is_named_without(gazetteer):
    text = CASES["acronym_after_organisation"]

    claims = extract(text, gazetteer, [], nlp.analyze(text)).claims

    assert [c.cue for c in claims] == [
        "réagi des membres des Jeunes Pêcheurs (JPC)",
        "la Ligue des usagers (LDU)",
    ]


def test_a_cue_inside_the_marks_splits_the_quotation_and_stays_out_of_its_words(gazetteer):
    text = CASES["incise"]

    claims = extract(text, gazetteer, [], nlp.analyze(text)).claims

    assert [(c.text, c.speaker.name) for c in claims] == [
        ("Nous irons", "Marc Lefèvre"),
        ("jusqu'au bout de ce combat pour les salariés", "Marc Lefèvre"),
    ]
    assert all("a-t-il dit" not in c.text for c in claims)
