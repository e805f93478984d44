r"""Skip a regular expression on text that cannot match it, by the words every match contains.

Most sentences hold none of a rule's words, and scanning a sentence with an alternation of
case-insensitive phrases costs far more than finding out that none of its words is there. So
each hot pattern carries the literal strings that any match must contain, read off the pattern's
own parse tree (``"\bcede[sd]?|ceding"`` needs ``cede``, ``cedes``, ``ceded`` or ``ceding``), as
code search engines and RE2 filter with the literals a pattern needs. The literals of every such
pattern go into one Aho-Corasick automaton (``pyahocorasick``), which finds all of them in a
sentence in one pass; a pattern whose literals are not all there is not run, and the answer is
the same as running it. Where the parse tree holds something this does not follow, the pattern
is simply always run.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick

try:  # the parser behind ``re.compile``; without it every pattern is run unfiltered
    import _sre
    from re import _compiler as _cc  # type: ignore[attr-defined]
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a Python whose ``re`` is laid out differently
    _p = _c = _cc = _sre = None

#: A literal set weaker than this occurs in nearly every sentence: not worth looking for.
_MIN_WEIGHT = 2
#: Words so common that a literal made of them says nothing ("at the ", "in ").
_COMMON_WORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is"}
    | {"it", "its", "of", "on", "or", "that", "the", "to", "was", "were", "with"}
)
_TOKENS = re.compile(r"\w+|[^\w\s]")
#: Characters nearly every sentence holds; any other sign ("%", "\u00b2") is rare.
_COMMON_SIGNS = frozenset(".,;:!?'\"()-\u2018\u2019\u201c\u201d\u2013\u2014")
#: Largest set of strings followed through a sequence ("cede" + "s|d|" -> three strings).
_MAX_EXACT = 256
#: Characters ``re.IGNORECASE`` equates with an ASCII letter that ``str.casefold`` does not.
_UNFOLDED = ("\u0130", "\u0131")

Strings = frozenset[str]
_Automaton = Any  # an ``ahocorasick.Automaton``, or None when no pattern has literals


@dataclass(frozen=True)
class _Info:
    """What a piece of a pattern matches: all its strings (``exact``), or what it ``needs``.

    ``needs`` is a list of sets: every match holds one string of each set.
    """

    exact: Strings | None = None
    needs: tuple[Strings, ...] = ()


_NOTHING = _Info()  # consumes text, needs nothing known
_EMPTY = _Info(exact=frozenset({""}))  # zero width ("\b", lookarounds)


class _FoldsCase(Exception):
    """A part of the pattern ignores case ("(?i:...)"): read it again, case-folded."""


def _weight(string: str) -> int:
    """Estimate how rarely a literal occurs: the length of its longest uncommon word."""
    best = 0
    for token in _TOKENS.findall(string.casefold()):
        if token[0].isalnum() or token[0] == "_":
            weight = 0 if token in _COMMON_WORDS else min(12, len(token))
        else:
            weight = 0 if token in _COMMON_SIGNS else 6
        best = max(best, weight)
    return best


def _selectivity(strings: Strings) -> tuple[int, int]:
    """Rank a set: as selective as its weakest string; then the fewer strings, the better."""
    return min(map(_weight, strings)), -len(strings)


def _needs(info: _Info) -> list[Strings]:
    if info.exact is not None:
        return [info.exact] if _selectivity(info.exact)[0] >= _MIN_WEIGHT else []
    return list(info.needs)


def _literal(code: int, folded: bool) -> _Info:
    char = chr(code)
    if folded and not char.isascii() and char.casefold() != char.upper():
        return _NOTHING  # a non-ASCII letter's case variants are not followed
    return _Info(exact=frozenset({char.casefold() if folded else char}))


def _sequence(items: Iterable[tuple[Any, Any]], folded: bool) -> _Info:
    """Read a concatenation: adjacent literals join ("cede" + "s|d|" -> three strings)."""
    strings: Strings = frozenset({""})  # the run of literals being followed
    needs: list[Strings] = []
    exact = True
    for op, av in items:
        info = _node(op, av, folded)
        if info.exact is not None and len(strings) * len(info.exact) <= _MAX_EXACT:
            strings = frozenset(a + b for a in strings for b in info.exact)
            continue
        exact = False
        needs += _needs(_Info(exact=strings))
        if info.exact is not None and len(info.exact) <= _MAX_EXACT:
            strings = info.exact  # a new run starts with it
        else:
            needs += _needs(info)
            strings = frozenset({""})
    if exact:
        return _Info(exact=strings)
    return _Info(needs=tuple(needs + _needs(_Info(exact=strings))))


def _branch(alternatives: list[_Info]) -> _Info:
    """Read an alternation: the union of its strings, or of each alternative's best set."""
    exacts = [a.exact for a in alternatives]
    if all(e is not None for e in exacts):
        union = frozenset().union(*exacts)  # type: ignore[arg-type]
        if len(union) <= _MAX_EXACT:
            return _Info(exact=union)
    best: list[Strings] = []
    for alternative in alternatives:
        needs = _needs(alternative)
        if not needs:
            return _NOTHING  # one alternative needs nothing known: neither does the whole
        best.append(max(needs, key=_selectivity))
    return _Info(needs=(frozenset().union(*best),))


def _node(op: Any, av: Any, folded: bool) -> _Info:  # noqa: PLR0911 - one case per opcode
    c = _c
    if op is c.LITERAL:
        return _literal(av, folded)
    if op is c.SUBPATTERN:
        if av[1] & re.IGNORECASE and not folded:
            raise _FoldsCase
        return _sequence(av[-1], folded)
    if op is c.BRANCH:
        return _branch([_sequence(sub, folded) for sub in av[1]])
    if op in _REPEATS:
        low, high, sub = av
        info = _sequence(sub, folded)
        if low == high == 1:
            return info
        if low == 0 and high == 1 and info.exact is not None:
            return _Info(exact=info.exact | {""})
        return _Info(needs=tuple(_needs(info))) if low >= 1 else _NOTHING
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _sequence(av, folded)
    if op is c.IN:
        if len(av) <= 4 and all(o is c.LITERAL for o, _ in av):
            return _branch([_literal(code, folded) for _, code in av])
        return _NOTHING
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return _EMPTY  # zero width: the literals on either side stay adjacent
    return _NOTHING  # any character, a class, a back-reference...


_ZERO_WIDTH_OPS = tuple(
    getattr(_c, name) for name in ("AT", "ASSERT", "ASSERT_NOT") if _c is not None
)
_REPEATS = tuple(
    getattr(_c, name)
    for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
    if _c is not None and hasattr(_c, name)
)


def required_literals(pattern: re.Pattern[str]) -> tuple[bool, tuple[Strings, ...]]:
    r"""Return (folded, sets): every match of ``pattern`` contains one string of each set.

    ``folded``: the strings are case-folded and are to be looked for in ``text.casefold()``;
    otherwise in the text itself. No sets: nothing is known, the pattern is always run.

    >>> folded, sets = required_literals(re.compile(r"\b(?:cede[sd]?|ceding)\b", re.I))
    >>> folded, [sorted(s) for s in sets]
    (True, [['cede', 'ceded', 'cedes', 'ceding']])
    """
    if _p is None:
        return True, ()
    folded = bool(pattern.flags & re.IGNORECASE)
    try:
        tree = _p.parse(pattern.pattern, pattern.flags)
        try:
            info = _sequence(tree, folded)
        except _FoldsCase:
            folded = True
            info = _sequence(tree, folded)
    except Exception:  # noqa: BLE001 - a construct not followed: no filter, never a wrong answer
        return True, ()
    return folded, tuple(sorted(_needs(info), key=_selectivity, reverse=True))


def _first(items: Iterable[tuple[Any, Any]]) -> tuple[frozenset[str] | None, bool]:
    """Return the characters a sequence's match can start with, and whether it can be empty.

    None for the characters: not known (the pattern is then run as it is).
    """
    c = _c
    chars: set[str] = set()
    for op, av in items:
        if op in _ZERO_WIDTH_OPS:
            continue
        if op is c.LITERAL:
            return frozenset(chars | {chr(av)}), False
        if op is c.IN:
            if not all(o is c.LITERAL for o, _ in av):
                return None, False
            return frozenset(chars | {chr(code) for _, code in av}), False
        if op is c.SUBPATTERN:
            if av[1] or av[2]:  # a group that changes flags ("(?i:...)")
                return None, False
            first, empty = _first(av[-1])
        elif op is c.BRANCH:
            first, empty = frozenset(), False
            for sub in av[1]:
                sub_first, sub_empty = _first(sub)
                if sub_first is None:
                    return None, False
                first, empty = first | sub_first, empty or sub_empty
        elif op in _REPEATS:
            low, _high, sub = av
            first, empty = _first(sub)
            empty = empty or low == 0
        else:
            return None, False
        if first is None:
            return None, False
        chars |= first
        if not empty:
            return frozenset(chars), False
    return frozenset(chars), True


def quick(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """Return ``pattern`` compiled to run fast, with the same matches (see ``factored``)."""
    return factored(pattern)


def _first_char(item: tuple[Any, Any], folded: bool) -> str | None:
    """Return the character an item matches, as a key (different keys: different characters).

    None where that is not known: anything but a literal, or a non-ASCII character under
    IGNORECASE, whose case variants the engine relates in ways not followed here.
    """
    op, av = item
    if op is not _c.LITERAL:
        return None
    char = chr(av)
    if not folded:
        return char
    return char.lower() if char.isascii() else None


def _factor_branch(alternatives: list[list[Any]], state: Any, folded: bool) -> list[list[Any]]:
    """Factor the first character out of alternatives that share it ("s(?:aid|ays)").

    Alternatives that start with different characters cannot both match at one position, so a
    run of them may be grouped by that character; within a group the order is kept, and an
    alternative that does not start with a known character keeps its place as a barrier.
    """
    result: list[list[Any]] = []
    index = 0
    while index < len(alternatives):
        if not alternatives[index] or _first_char(alternatives[index][0], folded) is None:
            result.append(alternatives[index])
            index += 1
            continue
        groups: dict[str, list[list[Any]]] = {}
        while index < len(alternatives) and alternatives[index]:
            key = _first_char(alternatives[index][0], folded)
            if key is None:
                break
            groups.setdefault(key, []).append(alternatives[index])
            index += 1
        for members in groups.values():
            if len(members) == 1:
                result.append(members[0])
                continue
            rests = _factor_branch([m[1:] for m in members], state, folded)
            if len(rests) == 1:
                result.append([members[0][0], *rests[0]])
            else:
                branch = (_c.BRANCH, (None, [_p.SubPattern(state, r) for r in rests]))
                result.append([members[0][0], branch])
    return result


def _factor(items: Iterable[tuple[Any, Any]], state: Any, folded: bool) -> list[Any]:
    """Return a sequence of parse-tree items with every alternation inside it factored."""
    c = _c
    out: list[Any] = []
    for op, av in items:
        if op is c.BRANCH:
            alternatives = [_factor(sub, state, folded) for sub in av[1]]
            factored = _factor_branch(alternatives, state, folded)
            out.append((op, (av[0], [_p.SubPattern(state, a) for a in factored])))
        elif op is c.SUBPATTERN:
            group, add, delete, sub = av
            inner = (folded or bool(add & re.IGNORECASE)) and not delete & re.IGNORECASE
            out.append((op, (group, add, delete, _p.SubPattern(state, _factor(sub, state, inner)))))
        elif op in _REPEATS:
            low, high, sub = av
            out.append((op, (low, high, _p.SubPattern(state, _factor(sub, state, folded)))))
        elif op in (c.ASSERT, c.ASSERT_NOT):
            direction, sub = av
            out.append((op, (direction, _p.SubPattern(state, _factor(sub, state, folded)))))
        elif op is getattr(c, "ATOMIC_GROUP", None):
            out.append((op, _p.SubPattern(state, _factor(av, state, folded))))
        else:
            out.append((op, av))
    return out


#: Characters other than an ASCII letter's two cases that IGNORECASE equates with it (the
#: dotted and dotless i, the Kelvin sign, the long s); pinned by a test over all of Unicode.
_OTHER_CASES = {"i": ("\u0130", "\u0131"), "k": ("\u212a",), "s": ("\u017f",)}


def _case_variants(chars: frozenset[str], folded: bool) -> set[str] | None:
    """Return every character that matches one of ``chars`` (None: not known)."""
    variants: set[str] = set()
    for char in chars:
        if not folded or char.isascii() and not char.isalpha():
            variants.add(char)
        elif char.isascii():
            lower = char.lower()
            variants |= {lower, char.upper(), *_OTHER_CASES.get(lower, ())}
        else:
            return None
    return variants


def _start_set(tree: Any, flags: int) -> list[int] | None:
    r"""Return an info block telling the engine the characters a match can start with.

    The engine's search loop runs the whole pattern at every position, unless the pattern
    starts with a literal or a set it can skip to; a pattern that starts with an assertion
    ("\b", a look-ahead) or ignores case gets none. Given the set of characters every match
    starts with (all case variants, when case is ignored), the loop passes over every other
    character in C. None: the engine finds a prefix by itself, or the set is not known.
    """
    if _cc._get_literal_prefix(tree, flags)[0] or _cc._get_charset_prefix(tree, flags):
        return None
    first, empty = _first(tree)
    low, high = tree.getwidth()
    if first is None or empty or not first or low == 0:
        return None
    chars = _case_variants(first, bool(flags & re.IGNORECASE))
    if chars is None:
        return None
    code = [_c.INFO, 0, _c.SRE_INFO_CHARSET, min(low, _cc.MAXCODE), min(high, _cc.MAXCODE)]
    charset, _ = _cc._optimize_charset([(_c.LITERAL, ord(char)) for char in sorted(chars)])
    _cc._compile_charset(charset, flags, code)
    code[1] = len(code) - 1  # the block's length, after its opcode
    return code


def factored(pattern: re.Pattern[str]) -> re.Pattern[str]:
    r"""Return ``pattern`` compiled so that the engine reads it faster, with the same matches.

    Two things the ``re`` compiler leaves out. First, the engine tries an alternation's
    branches one after the other ("said|says|stated|..."), each from its first character;
    factored as a prefix tree ("s(?:a(?:id|ys)|tated)") it reads the first character once and
    follows one path (branches that start with different characters cannot both match at one
    place, so the matches, groups and their order stay the same). Second, the characters a
    match can start with go into the compiled pattern's info block, so that the search skips
    every other position in C (see ``_start_set``). The parse tree of ``re`` is rewritten and
    compiled as ``re.compile`` does, with the pattern's own text as its ``pattern``. A pattern
    it cannot read is returned as it is.

    >>> factored(re.compile(r"\b(?:said|says|stated)\b", re.I)).findall("He SAYS, she said")
    ['SAYS', 'said']
    """
    if _cc is None or pattern.flags & re.LOCALE or not isinstance(pattern.pattern, str):
        return pattern
    try:
        tree = _p.parse(pattern.pattern, pattern.flags)
        state = tree.state
        flags = pattern.flags | state.flags
        tree = _p.SubPattern(state, _factor(tree, state, bool(flags & re.IGNORECASE)))
        info = _start_set(tree, flags)
        if info is None:
            code = _cc._code(tree, flags)
        else:
            code = info
            _cc._compile(code, tree.data, flags)
            code.append(_c.SUCCESS)
        names = [None] * state.groups
        for name, number in state.groupdict.items():
            names[number] = name
        return _sre.compile(
            pattern.pattern, flags, code, state.groups - 1, state.groupdict, tuple(names)
        )
    except Exception:  # noqa: BLE001 - a construct not followed: the pattern as it is
        return pattern


class _Sieve:
    """The literals of every filtered pattern, found in a sentence in one pass.

    Each literal set has a bit; a text's answer is the mask of the sets it holds one string of
    (all bits, -1, when it cannot be told), so a pattern is possible when its own bits are set.
    """

    def __init__(self) -> None:
        self._bits: dict[tuple[bool, frozenset[str]], int] = {}
        #: Counts the rebuilds, for groups that index the masks.
        self.generation = 0
        self._pending: list[Filtered] = []
        #: Every pattern taken, in order.
        self.patterns: list[Filtered] = []
        #: The automaton, in a tuple (None until built; a tuple of None: no literals at all).
        self._automata: tuple[_Automaton] | None = None
        #: Texts scanned lately, by identity (a sentence is asked about many times in a row).
        self._memo: dict[int, tuple[str, int]] = {}
        #: The text asked about last and its mask (most questions come in a row on one text);
        #: one tuple, so that threads never see the text of one answer with the mask of another.
        self._last: tuple[str | None, int] = (None, 0)
        self._lock = threading.Lock()

    def add(self, pattern: Filtered) -> None:
        """Take a pattern whose literals are read when the sieve is next used."""
        self._pending.append(pattern)
        self.patterns.append(pattern)
        self._automata = None

    def _build(self) -> _Automaton:
        for pattern in self._pending:
            folded, sets = required_literals(pattern.pattern)
            mask = 0
            for strings in sets:
                mask |= 1 << self._bits.setdefault((folded, strings), len(self._bits))
            pattern.mask = mask
        self._pending = []
        self._memo = {}
        self._last = (None, 0)
        self.generation += 1
        # One automaton over the case-folded text finds both kinds of literal: a case-folded one
        # is there when its folded form is; an exact one only when the text holds it as written,
        # which is checked on the few whose folded form is there (folding maps each character on
        # its own, so a string in the text is in the folded text too).
        table: dict[str, tuple[int, tuple[tuple[str, int], ...]]] = {}
        for (folded, strings), bit in self._bits.items():
            for string in strings:
                key = string if folded else string.casefold()
                if not key:
                    continue
                mask, exact = table.get(key, (0, ()))
                if folded:
                    table[key] = (mask | 1 << bit, exact)
                else:
                    table[key] = (mask, (*exact, (string, 1 << bit)))
        if not table:
            return None
        automaton = ahocorasick.Automaton()
        for key, value in table.items():
            automaton.add_word(key, value)
        automaton.make_automaton()
        return automaton

    def ready(self) -> None:
        """Read the literals of the patterns added since the last use."""
        with self._lock:
            if self._automata is None:
                self._automata = (self._build(),)

    def present(self, text: str) -> int:
        """Return the mask of the literal sets ``text`` holds a string of (-1: cannot be told)."""
        last = self._last
        if last[0] is text:
            return last[1]
        seen = self._memo.get(id(text))
        if seen is not None and seen[0] is text:
            self._last = seen
            return seen[1]
        if self._automata is None:
            self.ready()
        (automaton,) = self._automata  # type: ignore[misc]
        mask = 0
        if _UNFOLDED[0] in text or _UNFOLDED[1] in text:
            mask = -1
        elif automaton is not None:
            for _end, (folded, exact) in automaton.iter(text.casefold()):
                mask |= folded
                for string, bit in exact:
                    if not mask & bit and string in text:
                        mask |= bit
        if len(self._memo) > 256:
            self._memo = {}
        self._memo[id(text)] = self._last = (text, mask)
        return mask


_SIEVE = _Sieve()


class Filtered:
    """A compiled pattern that skips, cheaply, text lacking the literals every match needs.

    ``search``, ``finditer`` and ``match`` answer exactly as the pattern's own methods do. Make
    one per pattern, once (at import or in a cached function): its literals join the sieve's
    automaton, read off the pattern on first use.
    """

    __slots__ = ("pattern", "mask", "_last", "run")

    def __init__(self, pattern: re.Pattern[str] | str, flags: int = 0) -> None:
        self.pattern = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags)
        #: The pattern as it is run: the same matches, found faster (see ``quick``).
        self.run = quick(self.pattern)
        #: The sieve's bits for the literal sets every match needs (0: none known).
        self.mask = 0
        #: The text searched last and the answer (a sentence is often asked about twice).
        self._last: tuple[str, re.Match[str] | None] = ("", None)
        _SIEVE.add(self)

    def possible(self, text: str) -> bool:
        """Whether ``text`` holds the literals a match needs (False: it cannot match)."""
        if _SIEVE._automata is None:
            _SIEVE.ready()
        mask = self.mask
        return not mask or _SIEVE.present(text) & mask == mask

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """``re.Pattern.search``, skipped when the text lacks the needed literals."""
        whole = pos == 0 and endpos is None
        if whole and self._last[0] is text:
            return self._last[1]
        found = None
        if self.possible(text):
            found = self.run.search(text, pos, len(text) if endpos is None else endpos)
        if whole:
            self._last = (text, found)
        return found

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """``re.Pattern.match``, skipped when the text lacks the needed literals."""
        if not self.possible(text):
            return None
        return self.run.match(text, pos, len(text) if endpos is None else endpos)

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        """``re.Pattern.finditer``, empty when the text lacks the needed literals."""
        if not self.possible(text):
            return iter(())
        return self.run.finditer(text, pos, len(text) if endpos is None else endpos)


class FilteredGroup:
    """Patterns asked about together: which of them can match a text, in one look."""

    def __init__(self, patterns: Sequence[Filtered]) -> None:
        self.patterns = tuple(patterns)
        self._index: tuple[int, dict[int, tuple[int, ...]], tuple[int, ...]] | None = None
        self._generation = -1
        #: Every bit some pattern of the group needs, and the answer per set of them present.
        self._bits_needed = 0
        self._answers: dict[int, tuple[int, ...]] = {}

    def _build(self) -> tuple[int, dict[int, tuple[int, ...]], tuple[int, ...]]:
        # Each pattern is filed under one bit it needs; a text lacking every such bit skips all.
        by_bit: dict[int, list[int]] = {}
        always = []
        for number, pattern in enumerate(self.patterns):
            if pattern.mask:
                by_bit.setdefault(pattern.mask & -pattern.mask, []).append(number)
            else:
                always.append(number)
        bits = needed = 0
        for bit in by_bit:
            bits |= bit
        for pattern in self.patterns:
            needed |= pattern.mask
        self._bits_needed = needed
        return bits, {b: tuple(n) for b, n in by_bit.items()}, tuple(always)

    def possible(self, text: str) -> tuple[int, ...]:
        """Return the indices of the patterns that can match ``text``, in order."""
        if _SIEVE._automata is None:
            _SIEVE.ready()
        if self._index is None or _SIEVE.generation != self._generation:
            self._index, self._generation = self._build(), _SIEVE.generation
            self._answers = {}
        present = _SIEVE.present(text)
        # The answer depends only on which of the group's literal sets are there.
        key = present & self._bits_needed if present != -1 else -1
        answer = self._answers.get(key)
        if answer is None:
            answer = self._answers[key] = self._possible(key)
        return answer

    def _possible(self, present: int) -> tuple[int, ...]:
        bits, by_bit, always = self._index  # type: ignore[misc]
        if present == -1:
            return tuple(range(len(self.patterns)))
        found = present & bits
        if not found and not always:
            return ()
        numbers = list(always)
        patterns = self.patterns
        while found:
            bit = found & -found
            found ^= bit
            numbers += [n for n in by_bit[bit] if present & patterns[n].mask == patterns[n].mask]
        return tuple(sorted(numbers))


def literal_alternation(words: Iterable[str]) -> str:
    r"""Return a pattern matching any of ``words``, the longest that fits first, as a prefix tree.

    The regular expression engine tries an alternation's branches one after the other at every
    position; with the words' common prefixes factored out ("Russia(?:n(?:\ Federation|s))?")
    it follows one path instead. The matches are those of the words sorted longest first:
    the words that fit at a position are prefixes of one another, and the tree tries the
    longer continuation of each before stopping.

    >>> literal_alternation(["Russians", "Russia", "Kyiv", "Kiev"])
    '(?:Russia(?:ns)?|K(?:yiv|iev))'
    """
    tree: dict[str, dict[str, Any]] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        if "" not in node:
            return body
        return f"{body}?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"

    return "(?:" + "|".join(re.escape(c) + pattern(child) for c, child in tree.items() if c) + ")"


def registered() -> tuple[Filtered, ...]:
    """Return every filtered pattern made so far (what the sieve looks for)."""
    return tuple(_SIEVE.patterns)


def rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a pattern to run fast: the same matches (see ``quick``)."""
    return quick(re.compile(pattern, flags))
