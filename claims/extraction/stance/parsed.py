"""Stance signals from the parse: the lexicon's words on the path from the topic's
keywords (or "ce choix") up to what judges them, through actions and negations, and the
judgements that need no target ("c'est une erreur", "nous refusons")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.extraction.normalize import fold
from claims.extraction.stance.lexicon import Entry, StanceLexicon, stance_lexicon
from claims.extraction.stance.linking import TopicLink, TopicSpec, keyword_spans

__all__ = ["Signal", "parsed_signals"]

# Verbs whose subject holds the opinion: their subject is never what they judge.
_HOLDER_KINDS = frozenset({"support", "condemnation", "demand", "refusal", "action"})
_SUBJECTS = frozenset({"nsubj", "expl:subj", "csubj"})
# Kinds that count with no target the parse can see ("c'est une erreur", "nous refusons").
_FREE_KINDS = frozenset({"evaluation", "stimulus", "condemnation", "support", "demand", "refusal"})
_MODIFIERS = frozenset({"amod", "advmod", "acl", "acl:relcl", "nmod"})
_FIRST_PERSON = frozenset({"je", "nous", "on", "j"})
_ARTICLES = frozenset({"le", "la", "l'", "les", "un", "une"})
_DEMONSTRATIVES = frozenset({"ce", "cet", "cette", "ces"})
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Signal:
    """One piece of evidence: a word, its sign once composed, and how much it weighs."""

    word: str
    polarity: int
    weight: float
    aimed: bool  # the parse links it to the topic (else: a judgement with no target)

    def label(self) -> str:
        return f"{'+' if self.polarity > 0 else '-'}{self.word}"


def _entry(lexicon: StanceLexicon, syntax, t: int) -> Entry | None:
    lemma = syntax.lemmas[t]
    entry = lexicon.words.get(lemma)
    if entry is None:
        entry = lexicon.words.get(fold(syntax.text[syntax.p.starts[t] : syntax.p.ends[t]]))
    return entry


def _phrase_entries(
    lexicon: StanceLexicon, syntax, tokens: list[int]
) -> tuple[dict[int, Entry], set[int]]:
    """Locutions ("donner son feu vert"), longest first: their head token carries them;
    the other tokens of a locution carry nothing (its own negation included)."""
    found: dict[int, Entry] = {}
    taken: set[int] = set()
    if not lexicon.phrases:
        return found, set()
    surface = [fold(syntax.text[syntax.p.starts[t] : syntax.p.ends[t]]) for t in tokens]
    lemmas = [syntax.lemmas[t] for t in tokens]
    starts = lexicon.phrase_starts
    for i in range(len(tokens)):
        # Only the lengths of the locutions that begin with this word or its lemma.
        lengths = starts.get(surface[i], ()) + starts.get(lemmas[i], ())
        for n in sorted({n for n in lengths if n <= len(tokens) - i}, reverse=True):
            if any(j in taken for j in range(i, i + n)):
                continue
            words = surface[i : i + n]
            first = (lemmas[i], *words[1:])
            entry = lexicon.phrases.get(tuple(words)) or lexicon.phrases.get(first)
            if entry is None:
                continue
            span = set(tokens[i : i + n])
            heads = [t for t in span if syntax.p.heads[t] not in span or syntax.p.heads[t] == t]
            found[heads[0] if heads else tokens[i]] = entry
            taken |= set(range(i, i + n))
            break
    return found, {tokens[i] for i in taken}


class _Claim:
    """The claim's tokens and what the lexicon says about each."""

    def __init__(self, syntax, start: int, end: int, lexicon: StanceLexicon) -> None:
        self.syntax = syntax
        self.tokens = list(syntax.tokens_in(start, end))
        self.inside = set(self.tokens)
        self.lexicon = lexicon
        self.entries, self.in_phrase = _phrase_entries(lexicon, syntax, self.tokens)
        for t in self.tokens:
            if t not in self.in_phrase:
                self.entries[t] = _entry(lexicon, syntax, t)
        contrast = [
            t
            for t in self.tokens
            if syntax.lemmas[t] in lexicon.contrast and syntax.p.deps[t] in ("cc", "advmod")
        ]
        self.after_contrast = contrast[-1] if contrast else None
        self._spans: dict[str, list[tuple[int, int]]] = {}

    def spans(self, topic: TopicSpec, text: str, start: int) -> list[tuple[int, int]]:
        """Where the topic's keywords are in the claim (offsets in the parsed text),
        found once per claim and topic."""
        found = self._spans.get(topic.key)
        if found is None:
            found = [(start + a, start + b) for a, b in keyword_spans(text, topic)]
            self._spans[topic.key] = found
        return found

    def negated(self, t: int) -> bool:
        """A negation governed by ``t`` ("ne … pas", "sans", "jamais" with "ne")."""
        kids = self.syntax.children[t]
        lemmas = {self.syntax.lemmas[c] for c in kids if c not in self.in_phrase}
        has_ne = "ne" in lemmas or "n" in lemmas
        strong = lemmas & (self.lexicon.negations - {"ne", "n"})
        return bool(strong) or (has_ne and bool(lemmas & self.lexicon.with_ne))

    def weight(self, t: int) -> float:
        return 1.5 if self.after_contrast is not None and t > self.after_contrast else 1.0

    def anaphoric(self, t: int, loose: bool = False) -> bool:
        """ "ce choix", "cette décision": a noun pointing back to the article's measure;
        ``loose`` (the claim is linked only through its article): any determiner does
        for a bare noun ("une mauvaise loi", "la réforme")."""
        s = self.syntax
        if s.lemmas[t] not in self.lexicon.anaphora or s.p.pos[t] != "NOUN":
            return False
        kids = {s.lemmas[c] for c in s.children[t]}
        if kids & _DEMONSTRATIVES:
            return True
        # Without one, only the bare noun: "la réforme des retraites" names its own thing.
        named = any(s.p.deps[c] in ("nmod", "appos", "flat:name") for c in s.children[t])
        return loose and bool(kids & _ARTICLES) and not named


def _anchors(claim: _Claim, spans: list[tuple[int, int]]) -> set[int]:
    """The head token of each keyword occurrence."""
    s = claim.syntax
    anchors = set()
    for a, b in spans:
        toks = [t for t in claim.tokens if a <= s.p.starts[t] < b]
        span = set(toks)
        for t in toks:
            if s.p.heads[t] not in span or s.p.heads[t] == t:
                anchors.add(t)
                break
    return anchors


def _path_signals(
    claim: _Claim, anchor: int, exempt: set[int], name_actions: set[str]
) -> tuple[list[Signal], set[int], bool] | None:
    """Walk from ``anchor`` to the top of its clause. The judgements and actions met on the
    way compose into one signal ("exiger l'abandon du projet": demand × abandon); a judging
    modifier of a word met ("ces sanctions injustes") is a signal of its own, composed
    with what lies below it. None when the anchor is the subject of an opinion verb: "la
    Turquie dénonce …" judges something else. The flag: the walk went through the topic's
    own name ("la fermeture de la maternité"), so the topic's sense is already in it."""
    s = claim.syntax
    chain: list[tuple[int, Entry | None]] = []  # (token, entry; None for a negation)
    signals: list[Signal] = []
    met: set[int] = set()
    through_name = claim.syntax.lemmas[anchor] in name_actions
    node, prev = anchor, None
    while node in claim.inside:
        entry = claim.entries.get(node) if node != anchor and node not in exempt else None
        if claim.syntax.lemmas[node] in name_actions:
            through_name = True
        if entry is not None and entry.kind in _HOLDER_KINDS and _by_an_agent(claim, node, prev):
            entry = None  # "la loi a été validée par le Conseil": the Conseil's act, a fact
        if entry is not None:
            if entry.kind in _HOLDER_KINDS and prev is not None and s.p.deps[prev] in _SUBJECTS:
                return None
            chain.append((node, entry))
        if claim.negated(node):
            chain.append((node, None))
        for c in s.children[node]:
            if c == prev or c in exempt or s.p.deps[c] not in _MODIFIERS:
                continue
            mod = claim.entries.get(c)
            if mod is not None and mod.kind != "action":
                sign = mod.polarity * (-1 if claim.negated(c) else 1)
                for _t, e in chain:
                    sign *= -1 if e is None else e.polarity
                signals.append(Signal(s.lemmas[c], sign, claim.weight(c), aimed=True))
                met.add(c)
        met.add(node)
        head = s.p.heads[node]
        if head == node or (s.p.deps[node] in ("conj", "parataxis") and _clausal(claim, node)):
            break  # the next clause is another statement
        node, prev = head, node
    judged = [t for t, e in chain if e is not None and e.kind != "action"]
    weight = 1.0
    if not judged:
        # An action alone tells a side when the speaker's camp does it: "nous maintiendrons".
        acting = [t for t, e in chain if e is not None and _first_person_subject(claim, t)]
        if not acting:
            return signals, met, through_name
        judged, weight = acting, 0.5
    sign = 1
    for _t, e in chain:
        sign *= -1 if e is None else e.polarity
    # The chain as read, top first: "falloir·abandonner", "souhaiter·ne·deployer".
    word = "·".join("ne" if e is None else s.lemmas[tok] for tok, e in reversed(chain))
    top = judged[-1]
    signals.append(Signal(word, sign, claim.weight(top) * weight, aimed=True))
    return signals, met | {t for t, _ in chain}, through_name


def _by_an_agent(claim: _Claim, verb: int, prev: int | None) -> bool:
    """The walk came up from the passive subject of a verb whose agent is named."""
    return (
        prev is not None and claim.syntax.p.deps[prev] == "nsubj:pass" and _agent_named(claim, verb)
    )


def _agent_named(claim: _Claim, verb: int) -> bool:
    """A passive verb whose agent is named ("validé par le tribunal")."""
    return any(claim.syntax.p.deps[c] == "obl:agent" for c in claim.syntax.children[verb])


def _clausal(claim: _Claim, t: int) -> bool:
    s = claim.syntax
    return s.p.pos[t] in ("VERB", "AUX") or any(
        s.p.deps[c] in ("cop", "nsubj", "nsubj:pass") for c in s.children[t]
    )


def _first_person_subject(claim: _Claim, t: int) -> bool:
    s = claim.syntax
    return any(s.p.deps[c] in _SUBJECTS and s.lemmas[c] in _FIRST_PERSON for c in s.children[t])


def _free_signals(claim: _Claim, used: set[int], foreign: set[int], loose: bool) -> list[Signal]:
    """Judgements the parse ties to no keyword: they count for the topic only when they
    judge nothing named ("c'est une erreur", "nous sommes contre", "ce choix est absurde"),
    never when they judge another noun ("l'invasion était inacceptable")."""
    s = claim.syntax
    signals = []
    for t in claim.tokens:
        entry = claim.entries.get(t)
        if entry is None or entry.kind not in _FREE_KINDS or t in used:
            continue
        if _judges_a_named_thing(claim, t, foreign, loose):
            continue
        if entry.kind in _HOLDER_KINDS and _agent_named(claim, t):
            continue  # "… a été validé par le tribunal": the court's act, a fact
        sign = entry.polarity
        node = t
        while node in claim.inside:  # negations on t and above it
            if claim.negated(node):
                sign = -sign
            head = s.p.heads[node]
            if head == node:
                break
            node = head
        signals.append(Signal(s.lemmas[t], sign, 0.7 * claim.weight(t), aimed=False))
    return signals


def _judges_a_named_thing(claim: _Claim, t: int, foreign: set[int], loose: bool) -> bool:
    s = claim.syntax
    entry = claim.entries[t]
    copular = s.p.pos[t] in ("ADJ", "NOUN") and any(s.p.deps[c] == "cop" for c in s.children[t])
    if entry.kind == "stimulus" or copular:
        targets = [c for c in s.children[t] if s.p.deps[c] in _SUBJECTS]
    elif s.p.deps[t] == "amod":
        targets = [s.p.heads[t]]
    elif s.p.pos[t] == "VERB":
        targets = [c for c in s.children[t] if s.p.deps[c] in ("obj", "obl:arg", "nsubj:pass")]
    else:
        targets = []
    for target in targets:
        if target in foreign:
            return True
        if s.p.pos[target] in ("NOUN", "PROPN") and not claim.anaphoric(target, loose):
            return True
    # A judgement inside another topic's phrase is that topic's.
    node = t
    while node in claim.inside:
        if node in foreign:
            return True
        head = s.p.heads[node]
        if head == node:
            break
        node = head
    return False


def _topic_sign(topic: TopicSpec, lexicon: StanceLexicon) -> int:
    """-1 when the topic is an undoing ("Fermeture de la maternité", "Exclusion de X"):
    for it, what its keywords name is what is undone."""
    for word in _WORD.findall(fold(topic.name)):
        entry = lexicon.words.get(word)
        if entry is not None and entry.kind == "action" and entry.pos == "NOUN":
            return entry.polarity
    return 1


def parsed_signals(
    text: str, start: int, topic: TopicSpec, others: list[TopicSpec], syntax, link: TopicLink
) -> tuple[list[Signal], bool, bool]:
    lexicon = stance_lexicon()
    # One claim is read once for all the topics it is linked to.
    cache = syntax.__dict__.setdefault("_stance_claims", {})
    claim = cache.get((start, len(text)))
    if claim is None:
        claim = cache[(start, len(text))] = _Claim(syntax, start, start + len(text), lexicon)
    # Linked through its article only: any determiner points back to the measure.
    loose = link.article and not link.strong
    spans = claim.spans(topic, text, start)
    anchors = _anchors(claim, spans)
    foreign = set()
    for other in others:
        if other.key != topic.key:
            foreign |= _anchors(claim, claim.spans(other, text, start)) - anchors
    if not foreign or link.article:
        anchors |= {t for t in claim.tokens if claim.anaphoric(t, loose)}
    # Words of the topic's own name are the target, not an action on it ("exclusion").
    name_words = {w for w in _WORD.findall(fold(topic.name)) if len(w) >= 4}
    name_actions = {w for w in name_words if getattr(lexicon.words.get(w), "kind", "") == "action"}
    topic_sign = _topic_sign(topic, lexicon)
    exempt = {t for t in claim.tokens if claim.syntax.lemmas[t] in name_words}
    exempt |= {t for a, b in spans for t in claim.tokens if a <= claim.syntax.p.starts[t] < b}
    signals: list[Signal] = []
    used: set[int] = set()
    for anchor in sorted(anchors):
        found = _path_signals(claim, anchor, exempt, name_actions)
        if found is None:
            continue
        path, met, through_name = found
        used |= met
        # "le maintien de la maternité" is against its closure: the keyword names what the
        # topic's action undoes, unless the walk went through that action's own word.
        flip = -1 if topic_sign < 0 and not through_name else 1
        for signal in path:
            signal = Signal(signal.word, signal.polarity * flip, signal.weight, signal.aimed)
            if all(signal.word != s.word or signal.polarity != s.polarity for s in signals):
                signals.append(signal)
    if not foreign:
        signals += _free_signals(claim, used | exempt, foreign, loose)
    # Only another topic's keywords in the claim: what introduces it judges that one.
    return signals, bool(foreign) and not anchors, bool(anchors)
