"""Classes of reported speech (``kind="indirect"``), each on a sentence written for the test
(never taken from an evaluation article): what is kept as the statement, and who said it."""

from __future__ import annotations

import pytest

from claims.extraction import extract, nlp

# name -> (text, [(words, speaker's name or None)])
CASES = {
    # "X a déclaré que <clause>, a menacé …": the clause stops at the main subject's next verb.
    "clause_stops_at_next_verb": (
        "Le ministre de l'Intérieur, Paul Durand, a déclaré que la réforme serait appliquée, "
        "a menacé les syndicats de sanctions et a répété à plusieurs reprises qu'il ne "
        "céderait pas sur le calendrier.",
        [
            ("la réforme serait appliquée", "Paul Durand"),
            ("il ne céderait pas sur le calendrier", "Paul Durand"),
        ],
    ),
    # ", et <a new subject> …" after the clause is narration.
    "clause_stops_at_new_subject": (
        "La société Martin a déjà affirmé qu'elle ne fermerait pas l'usine de Lille, et le "
        "premier lot de machines devrait arriver en juillet.",
        [("elle ne fermerait pas l'usine de Lille", "Société Martin")],
    ),
    # "C'est ce qu'a déclaré X": the sentence before is X's.
    "cleft": (
        "Le pays ne reculera pas face aux menaces de ses voisins. C'est ce qu'a déclaré le "
        "ministre des Affaires étrangères, Jean Dupont.",
        [("Le pays ne reculera pas face aux menaces de ses voisins", "Jean Dupont")],
    ),
    # "X réaffirme vouloir …": a declarative verb's bare infinitive is a statement.
    "bare_infinitive": (
        "La direction de l'entreprise maintient sa décision et réaffirme vouloir trouver un "
        "repreneur pour l'usine.",
        [("vouloir trouver un repreneur pour l'usine", "Direction de l'entreprise")],
    ),
    # "X accuse Y de …": the accusation with whom it is about.
    "accuse_of": (
        "Dans une lettre au préfet, Jean Morel accuse le maire de la ville de cacher le coût "
        "réel du chantier.",
        [("le maire de la ville de cacher le coût réel du chantier", "Jean Morel")],
    ),
    # "dénonce les propos de Y, qui a assuré que …": two statements, two speakers.
    "relative_says_itself": (
        "Le collectif des riverains dénonce aussi les propos de Marie Leroy qui a assuré que "
        "la nouvelle route ne changera rien pour le quartier.",
        [
            ("les propos de Marie Leroy", "Collectif des riverains"),
            ("la nouvelle route ne changera rien pour le quartier", "Marie Leroy"),
        ],
    ),
    # "après le match" is no "d'après": no statement.
    "apres_is_not_according": (
        "L'entraîneur Paul Dubois a parlé après le match dans des remarques brèves dans "
        "lesquelles il a également nié les rumeurs de son départ.",
        [("les rumeurs de son départ", "Paul Dubois")],
    ),
    # A person named by one word only all through the article: "il" stands for them.
    "lone_name_pronoun": (
        "« Je l'ai appris ce matin », a admis Dubois après la rencontre. Dubois a quitté la "
        "salle sans un mot de plus. Plus tard, il a nié les rumeurs de son départ du club.",
        [("les rumeurs de son départ du club", "Dubois")],
    ),
    # "Ils"/"elles" take up the group last spoken of as a subject.
    "group_pronoun": (
        "Les pêcheurs de la baie ont manifesté devant la mairie. Ils ont affirmé que le "
        "chantier menaçait toute la saison de pêche.",
        [("le chantier menaçait toute la saison de pêche", "pêcheurs de la baie")],
    ),
    # "se disent prêts à … si …": the condition belongs to what they say they are.
    "condition_kept": (
        "Les pêcheurs de la baie ont manifesté devant la mairie. Ils se disent prêts à la "
        "grève si la direction n'abandonne pas son projet.",
        [("prêts à la grève si la direction n'abandonne pas son projet", "pêcheurs de la baie")],
    ),
    # Two words after a verb of saying ("dit être victime") are no statement of their own.
    "short_infinitive": (
        "Après la réunion du conseil municipal, le maire Paul Roux dit être épuisé.",
        [],
    ),
    # "a assuré que, côté financier, …": a phrase between "que" and its clause.
    "that_then_phrase": (
        "Le président Jacques Morel a défendu le projet devant les élus. Il a assuré que, "
        "côté financier, des garanties ont été données pour aider les petites communes.",
        [
            (
                "côté financier, des garanties ont été données pour aider les petites communes",
                "Jacques Morel",
            )
        ],
    ),
    # Scare quotes around three words or fewer leave a noun phrase reported speech.
    "noun_phrase_with_scare_quotes": (
        "Son avocat, Marc Lefort, a dénoncé une « procédure très étrange ».",
        [("une « procédure très étrange »", "Marc Lefort")],
    ),
    # "…, « <a quotation> »" after the clause: the quotation is its own, the clause stops.
    "clause_stops_at_a_quotation": (
        "La ministre Anne Roux a promis que la route restera « bien protégée » le long du "
        "lac, « les chemins, les pontons et les plages, que tout le monde aime tant ».",
        [("la route restera « bien protégée » le long du lac", "Anne Roux")],
    ),
    # A quoted aside the clause runs on after stays in it.
    "quoted_aside_inside_the_clause": (
        "Le maire Jean Dupuis a estimé que ce projet, « qui coûte bien trop cher et ne sert à "
        "rien », devait être abandonné.",
        [
            (
                "ce projet, « qui coûte bien trop cher et ne sert à rien », devait être abandonné",
                "Jean Dupuis",
            )
        ],
    ),
    # "…, a rappelé X, son secrétaire général.": an inverted cue after a clause that has
    # its own "dit que" still names who speaks.
    "inverted_cue_after_said_that": (
        "Le syndicat a toujours dit que cette usine devait rester ouverte, a rappelé Luc "
        "Moreau, son secrétaire général.",
        [("Le syndicat a toujours dit que cette usine devait rester ouverte", "Luc Moreau")],
    ),
    # ", et rappelant que …": the speaker's next statement, a claim of its own.
    "and_then_a_participle": (
        "Paul Girard a critiqué le projet, estimant que ce délai laisse trop peu de temps "
        "aux familles, et soulignant qu'il avait lui-même proposé une autre date.",
        [
            ("ce délai laisse trop peu de temps aux familles", "Paul Girard"),
            ("il avait lui-même proposé une autre date", "Paul Girard"),
        ],
    ),
    # "<clause>, s'impatiente X.": an inverted pronominal verb of saying after the clause.
    "inverted_pronominal": (
        "Les riverains ont écrit trois lettres au maire et rien n'a changé depuis des mois, "
        "s'impatiente Luc Moreau, le président de l'association.",
        [
            (
                "Les riverains ont écrit trois lettres au maire et rien n'a changé depuis des mois",
                "Luc Moreau",
            )
        ],
    ),
    # A verb of saying in scare quotes is still the sentence's verb.
    "scare_quoted_verb": (
        "Le syndicat des pêcheurs a « dénoncé » les risques qui pèsent sur la saison de pêche.",
        [("les risques qui pèsent sur la saison de pêche", "Syndicat des pêcheurs")],
    ),
    # "que si <condition>, <main clause>": both are the statement.
    "condition_then_main_clause": (
        "Le maire Paul Girard a indiqué que si l'État ne paie pas, la commune fermera l'école.",
        [("si l'État ne paie pas, la commune fermera l'école", "Paul Girard")],
    ),
    # "X a déclaré que …, a menacé Y de …": the main subject's next verb, no inverted cue
    # naming Y as the speaker of the sentence before.
    "next_verb_is_no_inverted_cue": (
        "Les syndicats ont expliqué que les horaires proposés étaient trop lourds, ont "
        "menacé la direction de grève si elle gardait son calendrier.",
        [("les horaires proposés étaient trop lourds", "Syndicats")],
    ),
    # What was said as a noun phrase: "a souligné la gravité de …", "a plaidé pour …".
    "noun_phrase_after_souligner_and_plaider": (
        "La ministre Anne Brun a souligné la gravité de la situation pour le pays. Elle a "
        "plaidé pour une paix solide et durable en Europe.",
        [
            ("la gravité de la situation pour le pays", "Anne Brun"),
            ("une paix solide et durable en Europe", "Anne Brun"),
        ],
    ),
    # A role of another nationality never names the person before: a new speaker.
    "role_of_another_nationality": (
        "Le président français Paul Lima a défendu le plan devant la presse, jeudi. Le "
        "président américain a ajouté que la Russie voulait elle aussi un accord rapide.",
        [("la Russie voulait elle aussi un accord rapide", "président américain")],
    ),
    # A plural role is a group, never the person named before.
    "plural_role_subject": (
        "Le maire Jean Colin a visité le chantier. Les ingénieurs ont estimé que la digue "
        "tiendrait encore dix ans.",
        [("la digue tiendrait encore dix ans", "ingénieurs")],
    ),
    # "maintenir" reports only a clause: "maintient son calendrier" is what it does.
    "maintenir_with_an_object_says_nothing": (
        "La direction maintient son plan de départs. Le syndicat a maintenu que la grève "
        "continuerait jusqu'à lundi.",
        [("la grève continuerait jusqu'à lundi", "Syndicat")],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_reported_class(gazetteer, name):
    text, expected = CASES[name]

    claims = extract(text, gazetteer, [], nlp.analyze(text)).claims

    assert [
        (c.text, c.speaker.name if c.speaker else None) for c in claims if c.kind == "indirect"
    ] == expected
