"""Attribution on sentences written for the tests: one construction per test."""

from __future__ import annotations

import pytest

from claims.extraction import Gazetteer, KnownSpeaker, extract

PEOPLE = Gazetteer(
    [
        KnownSpeaker(
            "anne-morel",
            "Anne Morel",
            gender="f",
            role="ministre de la Santé",
            aliases=(("Morel", "name"), ("la ministre de la Santé", "role")),
        ),
        KnownSpeaker(
            "paul-girard",
            "Paul Girard",
            gender="m",
            role="président du Sénat",
            aliases=(("Girard", "name"),),
        ),
        KnownSpeaker(
            "karl-weber",
            "Karl Weber",
            gender="m",
            role="porte-parole du gouvernement allemand",
            aliases=(("Weber", "name"), ("le porte-parole du gouvernement allemand", "role")),
        ),
        KnownSpeaker("elysee", "Élysée", kind="organization", aliases=(("l'Élysée", "name"),)),
    ]
)


def speakers(text: str) -> list[tuple[str, str | None, str]]:
    return [
        (c.text, c.speaker.key if c.speaker else None, c.speaker.how if c.speaker else "")
        for c in extract(text, PEOPLE).claims
        if not c.fragment and c.kind == "direct"
    ]


def test_attribution_inverted_name_after_quote():
    text = "« Nous tiendrons nos engagements », a déclaré Anne Morel."
    assert speakers(text) == [("Nous tiendrons nos engagements", "anne-morel", "name")]


def test_attribution_inverted_present_tense():
    text = "« Rien ne changera avant juin », affirme Girard devant les élus."
    assert speakers(text) == [("Rien ne changera avant juin", "paul-girard", "alias")]


def test_attribution_subject_before_verb_with_colon():
    text = "Lors du débat, Anne Morel a prévenu : « Les hôpitaux manquent de moyens. »"
    assert speakers(text) == [("Les hôpitaux manquent de moyens.", "anne-morel", "name")]


def test_attribution_headline_colon_form():
    text = "Girard : « Le budget sera voté en décembre »"
    assert speakers(text) == [("Le budget sera voté en décembre", "paul-girard", "alias")]


def test_attribution_selon_role_alias_without_name_in_article():
    text = "Selon le porte-parole du gouvernement allemand, « la décision est prise ». Fin."
    assert speakers(text) == [("la décision est prise", "karl-weber", "role-alias")]


def test_attribution_pronoun_takes_last_person_named():
    text = (
        "Paul Girard a reçu les syndicats mardi.\n\n"
        "« Le dialogue social reste ouvert », a-t-il ajouté."
    )
    assert speakers(text) == [("Le dialogue social reste ouvert", "paul-girard", "pronoun")]


def test_attribution_pronoun_respects_gender():
    text = (
        "Anne Morel a rencontré Paul Girard au Sénat. "
        "« Nous avons trouvé un accord solide », a-t-elle déclaré."
    )
    assert speakers(text) == [("Nous avons trouvé un accord solide", "anne-morel", "pronoun")]


def test_attribution_role_resolved_to_person_given_that_role_in_article():
    text = (
        "Le ministre de l'Intérieur, Hugo Lenoir, était à Lyon. Paul Girard l'accompagnait. "
        "« La sécurité des citoyens passe avant tout », a expliqué le ministre."
    )
    assert speakers(text) == [
        ("La sécurité des citoyens passe avant tout", None, "role"),
    ]
    claim = extract(text, PEOPLE).claims[0]
    assert claim.speaker.name == "Hugo Lenoir"


def test_attribution_former_role_holder_is_not_the_current_one():
    text = (
        "L'ancien président Marc Lavigne a critiqué le texte. Paul Girard a répondu. "
        "Selon le président, « ce texte est équilibré »."
    )
    assert speakers(text) == [("ce texte est équilibré", "paul-girard", "role")]


def test_attribution_apposition_name_wins_over_role():
    text = "« Berlin soutient ce plan », a déclaré le porte-parole du gouvernement allemand, Karl Weber."
    assert speakers(text) == [("Berlin soutient ce plan", "karl-weber", "name")]


def test_attribution_new_person_when_name_unknown():
    text = "« Les prix vont encore monter cet hiver », a déclaré Sophie Arnaud, économiste."
    claims = extract(text, PEOPLE).claims
    assert [(c.speaker.key, c.speaker.name, c.speaker.how) for c in claims] == [
        (None, "Sophie Arnaud", "new")
    ]


def test_attribution_surname_of_new_person_named_earlier():
    text = (
        "L'économiste Sophie Arnaud a publié une note. "
        "« La croissance restera faible », a déclaré Arnaud."
    )
    assert [(c.speaker.name, c.speaker.how) for c in extract(text, PEOPLE).claims] == [
        ("Sophie Arnaud", "surname")
    ]


def test_attribution_name_inside_the_quote_is_not_the_speaker():
    text = "« Girard se trompe sur toute la ligne », a déclaré Anne Morel."
    assert speakers(text) == [("Girard se trompe sur toute la ligne", "anne-morel", "name")]


def test_attribution_continuation_quote_keeps_speaker():
    text = (
        "« Le plan est prêt depuis longtemps », a déclaré Anne Morel. "
        "« Il sera présenté la semaine prochaine. »"
    )
    assert speakers(text) == [
        ("Le plan est prêt depuis longtemps", "anne-morel", "name"),
        ("Il sera présenté la semaine prochaine.", "anne-morel", "continuation"),
    ]


def test_attribution_no_continuation_when_someone_else_is_named():
    text = (
        "« Le plan est prêt depuis longtemps », a déclaré Anne Morel. Paul Girard est sceptique. "
        "« Il sera présenté la semaine prochaine. »"
    )
    assert speakers(text) == [
        ("Le plan est prêt depuis longtemps", "anne-morel", "name"),
        ("Il sera présenté la semaine prochaine.", None, ""),
    ]


def test_attribution_subject_of_first_verb_when_verbs_are_coordinated():
    text = "Anne Morel a rencontré Paul Girard et a déclaré : « Nous sommes d'accord sur tout. »"
    assert speakers(text) == [("Nous sommes d'accord sur tout.", "anne-morel", "name")]


def test_attribution_anonymous_source_gives_no_speaker():
    text = "« Rien n'est encore décidé », a déclaré une source proche du dossier."
    assert speakers(text) == [("Rien n'est encore décidé", None, "")]


def test_attribution_institution_can_speak():
    text = "« Le président ne se rendra pas à Berlin », a indiqué l'Élysée."
    assert speakers(text) == [("Le président ne se rendra pas à Berlin", "elysee", "alias")]


def test_attribution_next_sentence_subject_cue():
    text = "« Nous ne céderons rien aux pressions ». Anne Morel a déclaré cela lundi."
    assert speakers(text) == [("Nous ne céderons rien aux pressions", "anne-morel", "name")]


def test_attribution_next_sentence_reported_speech_is_not_a_cue():
    text = "« Nous ne céderons rien aux pressions ». Anne Morel a déclaré qu'elle partait."
    assert speakers(text) == [("Nous ne céderons rien aux pressions", None, "")]


@pytest.mark.parametrize(
    "cue",
    [
        "a-t-il déclaré",
        "a-t-il encore ajouté",
        "déclare-t-il",
        "dit-il",
        "poursuit-il",
        "a-t-il martelé",
    ],
)
def test_attribution_inverted_pronoun_forms(cue):
    text = f"Paul Girard est arrivé.\n\n« Nous allons gagner ce combat », {cue}."
    assert speakers(text) == [("Nous allons gagner ce combat", "paul-girard", "pronoun")]


def test_attribution_confidence_is_lower_for_weaker_evidence():
    text = (
        "Paul Girard est arrivé. « Nous allons gagner ce combat », a-t-il dit. "
        "« Il le faut. Vraiment. » « Rien ne nous arrêtera », a déclaré Paul Girard."
    )
    by_how = {c.speaker.how: c.confidence for c in extract(text, PEOPLE).claims if c.speaker}
    assert by_how["name"] > by_how["pronoun"] > by_how["continuation"]


def reported(text: str) -> list[tuple[str, str | None, str]]:
    return [
        (c.text, c.speaker.key if c.speaker else None, c.cue)
        for c in extract(text, PEOPLE).claims
        if c.kind == "indirect"
    ]


def test_reported_speech_que_clause():
    text = "Anne Morel a déclaré lundi que les hôpitaux recevraient des moyens supplémentaires."
    assert reported(text) == [
        ("les hôpitaux recevraient des moyens supplémentaires", "anne-morel", "déclaré lundi que")
    ]


def test_reported_speech_clause_stops_at_the_main_subjects_next_verb():
    text = "Paul Girard a assuré que le texte serait voté et a quitté la salle sous les huées."
    assert reported(text) == [("le texte serait voté", "paul-girard", "assuré que")]


def test_reported_speech_inverted_cue_closes_the_sentence():
    text = "Le gouvernement ne reculera pas sur ce dossier, a expliqué Anne Morel."
    assert reported(text) == [
        ("Le gouvernement ne reculera pas sur ce dossier", "anne-morel", "a expliqué Anne Morel")
    ]


def test_reported_speech_selon():
    text = "Selon Paul Girard, le budget sera présenté avant la fin du mois."
    assert reported(text) == [
        ("le budget sera présenté avant la fin du mois", "paul-girard", "Selon Paul Girard")
    ]


def test_reported_speech_participle_takes_the_main_speaker():
    text = "« Nous ne céderons pas », a déclaré Anne Morel, ajoutant que le calendrier restait inchangé."
    assert reported(text) == [("le calendrier restait inchangé", "anne-morel", "ajoutant que")]


def test_reported_speech_infinitive_clause():
    text = "Paul Girard a dit ne pas vouloir se représenter aux prochaines élections."
    assert reported(text) == [
        ("ne pas vouloir se représenter aux prochaines élections", "paul-girard", "dit")
    ]


def test_reported_speech_anonymous_source_is_not_a_claim():
    text = (
        "Le projet sera abandonné, a déclaré une source proche du dossier. "
        "Selon trois sources, la décision est déjà prise."
    )
    assert reported(text) == []


def test_reported_speech_pronoun_prefers_the_subject_over_a_name_in_passing():
    text = (
        "Paul Girard n'avait pas été prévenu par le ministre Hugo Lenoir de ce changement. "
        "La réunion a duré deux heures. Il a déclaré que cette méthode était inacceptable."
    )
    assert reported(text) == [("cette méthode était inacceptable", "paul-girard", "déclaré que")]


def test_attribution_inside_the_quote_marks_splits_the_quote():
    text = "«Nous irons jusqu'au bout – a martelé Anne Morel – quoi qu'il arrive demain.»"
    assert speakers(text) == [
        ("Nous irons jusqu'au bout", "anne-morel", "name"),
        ("quoi qu'il arrive demain.", "anne-morel", "name"),
    ]


def test_attribution_inverted_pronoun_between_commas_inside_the_quote():
    text = "Paul Girard est arrivé. « Le texte est prêt, poursuit-il, et sera voté jeudi. »"
    assert speakers(text) == [
        ("Le texte est prêt", "paul-girard", "pronoun"),
        ("et sera voté jeudi.", "paul-girard", "pronoun"),
    ]


def test_attribution_quote_over_two_paragraphs_the_french_way():
    text = (
        "« Nous avons tout essayé pour sauver le site.\n\n"
        "« Aujourd'hui, il faut regarder la réalité en face », a déclaré Anne Morel."
    )
    claims = [c for c in extract(text, PEOPLE).claims if c.kind == "direct"]
    assert [(c.text, c.speaker.key) for c in claims] == [
        (
            "Nous avons tout essayé pour sauver le site.\n\n« Aujourd'hui, il faut regarder la réalité en face",
            "anne-morel",
        )
    ]


def test_attribution_organisation_not_in_reference_data():
    text = "« Les contrôles commenceront lundi », a indiqué la préfecture de la Vienne."
    claim = extract(text, PEOPLE).claims[0]
    assert (claim.speaker.key, claim.speaker.name, claim.speaker.kind) == (
        None,
        "Préfecture de la Vienne",
        "organization",
    )


def test_attribution_bare_institution_refers_to_the_last_one_named():
    text = (
        "L'Union nationale des salariés (UNS) a appelé à la grève. "
        "« Ce vote ne change rien au mouvement », a déclaré l'UNS."
    )
    claim = extract(text, PEOPLE).claims[0]
    assert (claim.speaker.name, claim.speaker.kind) == (
        "Union nationale des salariés",
        "organization",
    )


def test_attribution_headline_surname_named_later_in_the_article():
    text = "Lenoir : « Nous ne reculerons pas »\n\nLe ministre Hugo Lenoir a défendu la réforme."
    claim = extract(text, PEOPLE).claims[0]
    assert (claim.speaker.name, claim.speaker.how) == ("Hugo Lenoir", "surname")


def test_attribution_nationality_noun_is_not_part_of_the_name():
    text = (
        "« Le calendrier sera tenu », a déclaré la Danoise Mette Kjærgaard, directrice du projet."
    )
    assert extract(text, PEOPLE).claims[0].speaker.name == "Mette Kjærgaard"


def test_attribution_first_name_gender_decides_the_pronoun():
    text = (
        "Solène Garnier a rencontré Marc Dubois à Rennes. "
        "« Cet accord ruinerait nos élevages », a-t-elle déclaré."
    )
    assert extract(text, PEOPLE).claims[0].speaker.name == "Solène Garnier"


def test_attribution_colon_gives_the_subject_the_floor():
    text = "Le consultant Oliver Grant, spécialiste du secteur, tempère : « Les réserves sont classiques. »"
    assert extract(text, PEOPLE).claims[0].speaker.name == "Oliver Grant"


def test_attribution_apposition_past_a_prepositional_tail():
    text = "« Nous avions prévenu », a déclaré la représentante au Commerce, Margaret Collins."
    assert extract(text, PEOPLE).claims[0].speaker.name == "Margaret Collins"


def test_attribution_name_after_the_role_without_comma_is_not_the_speaker():
    text = (
        "La ministre Anne Morel était à Berlin. « Nos positions se rapprochent », a déclaré "
        "la ministre aux côtés de son homologue allemand Klaus Becker."
    )
    assert speakers(text) == [("Nos positions se rapprochent", "anne-morel", "role")]
