"""Who speaks when the name hides in a longer phrase or the clause hides the subject:
sentences written for the test (made-up people; never taken from an evaluation article).
Each case gives the whole claims found (fragments left out) as (kind, first words, speaker)."""

from __future__ import annotations

import pytest

from claims.extraction.attribution.document import Document
from tests.extraction.constructions import assert_claims, claims_of

CASES = {
    # The recognizer glues a body's name and a person's into one entity; the first name
    # says where the person's starts.
    "name_after_a_body_in_capitals": (
        "Du côté des partis, la figure du Mouvement Citoyen Sophie Marchal a immédiatement "
        "réagi : « Ce budget ne passera pas sans un vrai débat. »",
        [("direct", "Ce budget ne passera pas", "Sophie Marchal")],
    ),
    # "se satisfaire" is a pronominal verb of saying, inverted after the quotation.
    "pronominal_satisfaction": (
        "« Le dossier avance enfin dans le bon sens », s'est satisfait Paul Girard, le soir "
        "du vote au conseil.",
        [("direct", "Le dossier avance enfin", "Paul Girard")],
    ),
    # "au micro de Radio Nord": where the words were said, a place phrase with its own
    # complement; the speaker is the role after it.
    "place_phrase_with_its_complement": (
        "Le maire de Vernon, Jean Dufresne, a visité le dépôt lundi. « Nous garderons les "
        "deux lignes de bus jusqu'à l'été », a promis au micro de Radio Nord, le maire.",
        [("direct", "Nous garderons les deux lignes", "Jean Dufresne")],
    ),
    # A present participle after an earlier quotation of the same sentence: the subject
    # of the main clause speaks, the participle has none after it.
    "participle_after_a_first_quotation": (
        "Le président du club, Paul Girard, a salué une « belle victoire » des joueurs, "
        "jugeant qu'« aucune équipe ne pouvait les arrêter ce soir ».",
        [
            ("indirect", "une « belle victoire » des joueurs", "Paul Girard"),
            ("direct", "aucune équipe ne pouvait les arrêter", "Paul Girard"),
        ],
    ),
    # A heading names the speaker by surname before the paragraph names him in full.
    "surname_in_a_heading": (
        # (The tagger reads this surname as a common noun.)
        "Musard dénonce « un vrai recul pour la ville »\n\nDe son côté, Marc Musard, "
        "président de la Région, a critiqué le projet.",
        [("direct", "un vrai recul pour la ville", "Marc Musard")],
    ),
    # The subject of a reported "que" clause is what was said, not whom "il" takes up next.
    "subject_of_a_reported_clause": (
        "Paul Girard, maire de Vernon, a critiqué la fermeture. Il regrette que Marc Dupin "
        "soit resté silencieux. Il dénonce « une décision prise sans aucune concertation ».",
        [
            ("indirect", "la fermeture", "Paul Girard"),
            ("indirect", "Marc Dupin soit resté silencieux", "Paul Girard"),
            ("direct", "une décision prise sans aucune concertation", "Paul Girard"),
        ],
    ),
    # A role after its adjective in apposition ("X, jeune architecte") is X's: the later
    # "l'architecte" is the one spoken of last, not another architect.
    "role_after_an_adjective": (
        "Il y a dix ans, Marc Tellier, jeune architecte, dessinait ses premiers plans. "
        "Luc Moret, architecte à Lyon, se souvient de cette époque. « Nous n'avions presque "
        "rien pour travailler », raconte Marc Tellier. « Chaque projet était une vraie "
        "aventure », ajoute l'architecte.",
        [
            ("direct", "Nous n'avions presque rien", "Marc Tellier"),
            ("direct", "Chaque projet était une vraie aventure", "Marc Tellier"),
        ],
    ),
    # A body named after someone speaks as the body; the person is not there.
    "body_named_after_someone": (
        "« Les expulsions atteignent un niveau record cette année », dénonce la Fondation "
        "Jeanne Morel dans son rapport annuel.",
        [("direct", "Les expulsions atteignent", "Fondation Jeanne Morel")],
    ),
    # A list of reactions: a heading line names whom the section quotes, even when its
    # paragraph names someone else too; "il" there is still the heading's person.
    "section_under_a_heading": (
        "Les réactions au palmarès\n\nMarc Petit (prix du jury) : un habitué du festival"
        "\n\nComme l'an dernier, Marc Petit partage son prix avec Luc Rivière. « Je suis "
        "heureux de revenir ici avec toute l'équipe du film. »\n\nS'il ne sait pas encore "
        "quel sera son prochain film, il a déjà une idée. « Il faut du temps pour écrire une "
        "histoire qui tienne debout. »",
        [
            ("direct", "Je suis heureux de revenir", "Marc Petit"),
            ("direct", "Il faut du temps pour écrire", "Marc Petit"),
        ],
    ),
    # An acronym the recognizer calls an organisation speaks as that body.
    "acronym_of_a_body": (
        "Grève : la CFDT dénonce « un accord qui oublie totalement les salariés »",
        [("direct", "un accord qui oublie totalement", "CFDT")],
    ),
    # "Et de rappeler : « … »": the narrative infinitive's subject is the sentence before's.
    "narrative_infinitive": (
        "Le syndicat a promis de se battre « jusqu'au bout de ce long combat ». Et de "
        "rappeler une exigence : « Personne ne fermera cette usine sans nous. »",
        [
            ("direct", "jusqu'au bout de ce long combat", "Syndicat"),
            ("direct", "Personne ne fermera cette usine", "Syndicat"),
        ],
    ),
    # The parser calls this "il" an expletive; on a personal verb it is the subject.
    "expletive_il_of_a_personal_verb": (
        "Quant aux critiques des riverains, Paul Girard les a balayées d'un revers de main, "
        "et il ne s'est pas privé de rappeler que le projet avait été voté à l'unanimité.",
        [("indirect", "le projet avait été voté", "Paul Girard")],
    ),
    # The parser may hang the subject on the auxiliary ("Il a tenu à préciser que").
    "subject_on_the_auxiliary": (
        "Paul Girard a visité le chantier. Il a par ailleurs tenu à préciser que des aides "
        "pourront être versées aux riverains.",
        [("indirect", "des aides pourront être versées", "Paul Girard")],
    ),
    # A time between the verb and "que", which the parser then reads as a pronoun.
    "time_before_que": (
        "Marie Caron a annoncé mercredi soir que le bus passerait sans doute par le port, "
        "plutôt que par le centre comme cela avait d'abord été prévu.",
        [("indirect", "le bus passerait sans doute par le port", "Marie Caron")],
    ),
    # A title's role ("l'avocat du maire raconte") is the person the article then names
    # with that office, less precisely ("X, l'un de ses avocats").
    "title_role_named_below": (
        "« Il a tenu bon » : l'avocat du maire raconte la première audience\n\nLa première "
        "audience s'est tenue lundi. « Ce n'est qu'un début, mais il était prêt à affronter "
        "ces questions », explique Paul Girard, l'un de ses avocats, sur une radio locale.",
        [
            ("direct", "Il a tenu bon", "Paul Girard"),
            ("direct", "Ce n'est qu'un début", "Paul Girard"),
        ],
    ),
    # Two quotations, one inverted cue closing the sentence: both are its speaker's.
    "one_cue_for_two_quotations": (
        "« Les salles de classe seront rénovées dès l'été », d'où la promesse de « rouvrir "
        "l'école avant la rentrée scolaire », a fait valoir Paul Girard.",
        [
            ("direct", "Les salles de classe seront rénovées", "Paul Girard"),
            ("direct", "rouvrir l'école avant la rentrée", "Paul Girard"),
        ],
    ),
    # After an incise's verb, the body is who speaks (no noun phrase said), and its name
    # stops at how it was there ("présente sur les lieux").
    "body_in_an_incise": (
        "La fumée a envahi la rue vers midi. « Les pompiers resteront sur place toute la "
        "nuit pour surveiller le bâtiment », annonce la gendarmerie présente sur les lieux.",
        [("direct", "Les pompiers resteront sur place", "Gendarmerie")],
    ),
    # A political camp speaks as one body.
    "camp_as_a_speaker": (
        "Le conseil a voté le budget lundi. « Nous ne voterons jamais ce budget d'austérité "
        "pour la ville », a prévenu l'opposition municipale.",
        [("direct", "Nous ne voterons jamais ce budget", "Opposition municipale")],
    ),
    # Manners of speaking as incises: "sourit X", "relance-t-il".
    "manner_of_speaking_incises": (
        "« On verra bien ce qu'il en sera demain matin », sourit Paul Girard. « Rien n'est "
        "encore joué pour la saison », relance-t-il.",
        [
            ("direct", "On verra bien ce qu'il en sera", "Paul Girard"),
            ("direct", "Rien n'est encore joué", "Paul Girard"),
        ],
    ),
    # A first name alone after a kin word is a person, whom "la jeune femme" takes up.
    "first_name_after_a_kin_word": (
        "La tempête a arraché le toit de la maison. Avec sa petite-fille Éloïse, ils "
        "attendent l'expert. « On espère une réponse rapide de l'assurance avant l'hiver », "
        "avance la jeune femme.",
        [("direct", "On espère une réponse rapide", "Éloïse")],
    ),
    # The heading holds over the paragraphs of its section, not only the first one.
    "heading_over_several_paragraphs": (
        "Les réactions au palmarès\n\nMarc Petit (prix du jury) : un habitué du festival"
        "\n\nComme l'an dernier, Marc Petit partage son prix avec Luc Rivière.\n\nLe film "
        "sortira en salles en mars.\n\nLe tournage a duré deux ans.\n\n« Je suis heureux de "
        "revenir ici avec toute l'équipe du film. »",
        [("direct", "Je suis heureux de revenir", "Marc Petit")],
    ),
    # Counterexamples: each rule above stays out of these.
    # The article's first line is its title, no section heading.
    "a_title_is_no_section_heading": (
        "Marc Petit (prix du jury) : un habitué du festival\n\nLe film sortira en salles en "
        "mars.\n\n« Je suis heureux de revenir ici avec toute l'équipe du film. »",
        [("direct", "Je suis heureux de revenir", None)],
    ),
    "narrative_infinitive_after_someone_else": (
        "Le maire Paul Girard a promis « une piscine neuve avant l'été prochain ». Son "
        "adversaire Marie Caron juge au contraire que rien n'avance. Et d'ajouter : « Les "
        "travaux n'ont même pas commencé dans le quartier. »",
        [
            ("direct", "une piscine neuve", "Paul Girard"),
            ("direct", "Les travaux n'ont même pas commencé", None),
        ],
    ),
    "impersonal_il_se_dit": (
        "Il se dit que le projet sera abandonné avant la fin de l'année.",
        [("indirect", "le projet sera abandonné", None)],
    ),
    "majority_of_people_is_no_body": (
        "« Le centre-ville est devenu beaucoup trop cher pour nous », juge la majorité des "
        "habitants interrogés.",
        [("direct", "Le centre-ville est devenu", None)],
    ),
    "an_office_is_no_first_name": (
        "« Il faut attendre la fin des travaux pour juger », a réagi l'ancien Maire.",
        [("direct", "Il faut attendre la fin des travaux", "ancien Maire")],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_construction(gazetteer, name):
    text, expected = CASES[name]

    assert_claims(claims_of(text, gazetteer), expected)


def test_a_first_name_after_a_kin_word_is_a_mention_without_the_recognizer(gazetteer):
    text = "Avec sa petite-fille Éloïse et son voisin Marc, ils attendent l'expert."

    people = [(m.name, m.gender) for m in Document(text, gazetteer, [], None).mentions]

    assert people == [("Éloïse", "f"), ("Marc", "m")]
