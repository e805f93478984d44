"""The reviewed claims file (geodata/claims.yaml): load, check against the corpus, merge, save.

The file is the source of truth the dashboard shows. It holds three lists: ``proposals`` (named
plans), ``claims`` (dated positions with verbatim evidence) and ``control`` (who holds how much of
a region). Its structure is checked with a JSON schema on load; :func:`check_claims` then checks
every quote against its article, every region, actor, proposal and date.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import io
import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

import yaml

from .config import Paths
from .errors import ClaimsError
from .regions import REGION_IDS
from .text import normalize_quote
from .types import (
    ALL_OCCUPIED,
    BOUNDS,
    CLAIM_KINDS,
    DATE_PRECISIONS,
    DISPOSITIONS,
    HOLDERS,
    MAIN_ACTORS,
    Article,
    Claim,
    ControlFact,
    Disposition,
    Evidence,
    Proposal,
)

CLAIMS_FILE = "claims.yaml"


def known_actors() -> tuple[str, ...]:
    """Return the actors a claim may name: the main four and every side of the speakers registry."""
    from .extract.registry import load_registry

    return tuple(dict.fromkeys((*MAIN_ACTORS, *load_registry().actors)))


#: Region key of a control fact about Ukraine as a whole ("a fifth of Ukraine").
WHOLE_UKRAINE = "ukraine"

_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_EVIDENCE = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["article", "quote"],
        "additionalProperties": False,
        "properties": {
            "article": {"type": "string", "minLength": 1},
            "quote": {"type": "string", "minLength": 1},
            "start": {"type": "integer", "minimum": 0},
            "end": {"type": "integer", "minimum": 0},
        },
    },
}
#: Optional: the extraction rules behind a machine-extracted entry (its evidence carries the
#: span, ``start``/``end`` in the article text).
_RULES = {"type": "array", "items": {"type": "string"}}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "proposals": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "label", "actor", "date", "summary"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$"},
                    "label": {"type": "string", "minLength": 1},
                    "actor": {"type": "string"},
                    "date": _DATE,
                    "summary": {"type": "string"},
                },
            },
        },
        "claims": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "id",
                    "date",
                    "date_precision",
                    "actor",
                    "kind",
                    "regions",
                    "summary",
                    "status",
                    "evidence",
                ],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9_-]*$"},
                    "date": _DATE,
                    "date_precision": {"enum": list(DATE_PRECISIONS)},
                    "actor": {"type": "string"},
                    "speaker": {"type": ["string", "null"]},
                    "kind": {"enum": list(CLAIM_KINDS)},
                    "regions": {
                        "type": "object",
                        "minProperties": 1,
                        "additionalProperties": {"enum": list(DISPOSITIONS)},
                    },
                    "summary": {"type": "string", "minLength": 1},
                    "proposal": {"type": ["string", "null"]},
                    "status": {"enum": ["reviewed", "extracted"]},
                    "evidence": _EVIDENCE,
                    "rules": _RULES,
                },
            },
        },
        "control": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "region", "date", "holder", "summary", "evidence"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9_-]*$"},
                    "region": {"type": "string"},
                    "date": _DATE,
                    "date_precision": {"enum": list(DATE_PRECISIONS)},
                    "holder": {"enum": list(HOLDERS)},
                    "area_km2": {"type": ["number", "null"], "minimum": 0},
                    "share": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
                    "bound": {"enum": list(BOUNDS)},
                    "summary": {"type": "string"},
                    "stated": {"type": "string"},
                    "status": {"enum": ["reviewed", "extracted"]},
                    "evidence": _EVIDENCE,
                    "rules": _RULES,
                },
            },
        },
    },
}


@dataclass(frozen=True)
class ClaimSet:
    """Everything the claims file holds."""

    claims: tuple[Claim, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    control: tuple[ControlFact, ...] = ()


@dataclass(frozen=True)
class MergeResult:
    """What :func:`merge_claims` did: the merged set and the ids of the claims it added."""

    claim_set: ClaimSet
    added: tuple[str, ...]


#: Largest claims file read (the reviewed file is a few dozen KB).
MAX_CLAIMS_BYTES = 8 * 2**20


class _NoAliasLoader(yaml.SafeLoader):
    """A SafeLoader that refuses YAML aliases.

    A claims file never needs them, and ten nested aliases expand to a billion nodes (the
    "billion laughs"), so any alias is refused where it appears, before anything is expanded.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            mark = event.start_mark
            raise ClaimsError(
                f"{self.name}: line {mark.line + 1}, column {mark.column + 1}: YAML alias "
                f"*{event.anchor} - aliases (&name ... *name) are not allowed in a claims file "
                "(they can expand without bound); write each value out"
            )
        return super().compose_node(parent, index)


def safe_load_bounded(text: str, *, name: str) -> Any:
    """Parse YAML with the safe loader, refusing aliases and too deep nesting.

    Raises
    ------
    ClaimsError
        When the text is not YAML, holds an alias, or nests too deeply.
    """
    try:
        loader = _NoAliasLoader(text)
    except yaml.YAMLError as err:
        raise ClaimsError(f"{name}: not valid YAML ({err})") from None
    loader.name = name
    try:
        return loader.get_single_data()
    except yaml.YAMLError as err:
        raise ClaimsError(f"{name}: not valid YAML ({err})") from None
    except RecursionError:
        raise ClaimsError(
            f"{name}: lists or mappings are nested too deeply to read; a claims file needs a "
            "few levels"
        ) from None
    finally:
        loader.dispose()


def default_path() -> Path:
    """Return the claims file of the configured geodata folder."""
    return Paths.default().geodata / CLAIMS_FILE


def load_claims(path: Path | None = None) -> ClaimSet:
    """Read and structurally validate a claims file.

    Parameters
    ----------
    path
        The YAML file; defaults to ``claims.yaml`` in ``Paths.default().geodata``.

    Returns
    -------
    ClaimSet

    Raises
    ------
    ClaimsError
        If the file is missing, not YAML, or does not follow the schema; ``problems`` lists
        every violation with its location (e.g. ``claims[3].regions.donbas``).
    """
    path = Path(path) if path is not None else default_path()
    try:
        size = path.stat().st_size
        if size > MAX_CLAIMS_BYTES:
            raise ClaimsError(
                f"{path}: the claims file is {size:,} bytes, more than the {MAX_CLAIMS_BYTES:,} "
                "a claims file may have; is it the right file?"
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ClaimsError(
            f"{path}: claims file not found; create it or run 'mapdash extract --merge'"
        ) from None
    except (OSError, UnicodeDecodeError) as err:
        raise ClaimsError(f"{path}: cannot read the claims file ({err})") from None
    data = safe_load_bounded(text, name=str(path))
    if data is None:
        return ClaimSet()
    # YAML reads unquoted dates as date objects; the schema speaks of ISO strings.
    data = _dates_to_strings(data)
    import jsonschema  # here, not at module level: it takes a tenth of a second to import

    validator = jsonschema.Draft202012Validator(SCHEMA)
    problems = [
        f"{_location(error.absolute_path)}: {error.message}"
        for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    ]
    if problems:
        raise ClaimsError(f"{path}: the claims file does not follow its schema", problems)
    try:
        return claim_set_from_data(data)
    except ValueError as err:
        raise ClaimsError(f"{path}: {err}") from None


def _dates_to_strings(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _dates_to_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_to_strings(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _location(path: Iterable[Any]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def claim_set_from_data(data: Mapping[str, Any]) -> ClaimSet:
    """Build a ClaimSet from schema-valid data (as read from YAML or JSON).

    Raises
    ------
    ValueError
        If a date is not a real calendar date.
    """
    return ClaimSet(
        claims=tuple(_claim(item) for item in data.get("claims", [])),
        proposals=tuple(
            Proposal(
                id=item["id"],
                label=item["label"],
                actor=item["actor"],
                date=_date(item["date"], item["id"]),
                summary=item["summary"],
            )
            for item in data.get("proposals", [])
        ),
        control=tuple(_control(item) for item in data.get("control", [])),
    )


def _date(value: str, owner: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{owner}: date {value!r} is not a calendar date (YYYY-MM-DD)") from None


def _evidence(items: Sequence[Mapping[str, Any]]) -> tuple[Evidence, ...]:
    return tuple(
        Evidence(
            article=item["article"],
            quote=item["quote"],
            start=item.get("start"),
            end=item.get("end"),
        )
        for item in items
    )


def _claim(item: Mapping[str, Any]) -> Claim:
    return Claim(
        id=item["id"],
        date=_date(item["date"], item["id"]),
        date_precision=item["date_precision"],
        actor=item["actor"],
        kind=item["kind"],
        regions={str(k): cast(Disposition, v) for k, v in item["regions"].items()},
        summary=item["summary"],
        evidence=_evidence(item["evidence"]),
        speaker=item.get("speaker"),
        proposal=item.get("proposal"),
        status=item["status"],
        rules=tuple(item.get("rules") or ()),
    )


def _control(item: Mapping[str, Any]) -> ControlFact:
    return ControlFact(
        id=item["id"],
        region=item["region"],
        date=_date(item["date"], item["id"]),
        holder=item["holder"],
        summary=item["summary"],
        evidence=_evidence(item["evidence"]),
        area_km2=item.get("area_km2"),
        share=item.get("share"),
        bound=item.get("bound", "exact"),
        extra={"stated": item["stated"]} if "stated" in item else {},
        date_precision=item.get("date_precision", "day"),
        status=item.get("status", "reviewed"),
        rules=tuple(item.get("rules") or ()),
    )


def evidence_to_data(evidence: Evidence) -> dict[str, Any]:
    """One evidence entry as plain data (offsets only when known)."""
    data: dict[str, Any] = {"article": evidence.article, "quote": evidence.quote}
    if evidence.start is not None and evidence.end is not None:
        data["start"] = evidence.start
        data["end"] = evidence.end
    return data


def claim_to_data(claim: Claim) -> dict[str, Any]:
    """Return a claim as plain data, the shape of the file and of `claims --format json`."""
    return {
        "id": claim.id,
        "date": claim.date.isoformat(),
        "date_precision": claim.date_precision,
        "actor": claim.actor,
        "speaker": claim.speaker,
        "kind": claim.kind,
        "regions": dict(claim.regions),
        "summary": claim.summary,
        "proposal": claim.proposal,
        "status": claim.status,
        "evidence": [evidence_to_data(e) for e in claim.evidence],
        **({"rules": list(claim.rules)} if claim.rules else {}),
    }


def proposal_to_data(proposal: Proposal) -> dict[str, Any]:
    """Return a proposal as plain data."""
    return {
        "id": proposal.id,
        "label": proposal.label,
        "actor": proposal.actor,
        "date": proposal.date.isoformat(),
        "summary": proposal.summary,
    }


def control_to_data(fact: ControlFact) -> dict[str, Any]:
    """Return a control fact as plain data."""
    data: dict[str, Any] = {
        "id": fact.id,
        "region": fact.region,
        "date": fact.date.isoformat(),
        "date_precision": fact.date_precision,
        "holder": fact.holder,
        "area_km2": fact.area_km2,
        "share": fact.share,
        "bound": fact.bound,
        "summary": fact.summary,
    }
    if "stated" in fact.extra:
        data["stated"] = fact.extra["stated"]
    if fact.status != "reviewed":
        data["status"] = fact.status
    data["evidence"] = [evidence_to_data(e) for e in fact.evidence]
    if fact.rules:
        data["rules"] = list(fact.rules)
    return data


def claim_set_to_data(claim_set: ClaimSet) -> dict[str, Any]:
    """Return the whole claim set as plain data, in file order."""
    return {
        "proposals": [proposal_to_data(p) for p in claim_set.proposals],
        "claims": [claim_to_data(c) for c in claim_set.claims],
        "control": [control_to_data(f) for f in claim_set.control],
    }


_FILE_HEADER = (
    "# Territorial claims, proposals and control facts reported in the articles of seeds/.\n"
    "# status: reviewed = checked by a person against the article; extracted = machine output\n"
    "# from 'mapdash extract --merge', not yet reviewed. Every quote must appear verbatim in its\n"
    "# article (typographic quotes and whitespace are normalised); check with\n"
    "# 'mapdash claims --check'. Region '*' = all occupied territory; control region 'ukraine' =\n"
    "# Ukraine as a whole.\n"
)


def dump_claims(claim_set: ClaimSet) -> str:
    """Serialise a claim set to the YAML text of the claims file."""
    body = yaml.safe_dump(
        claim_set_to_data(claim_set), sort_keys=False, allow_unicode=True, width=100
    )
    return _FILE_HEADER + body


def save_claims(claim_set: ClaimSet, path: Path | None = None) -> None:
    """Write the claims file atomically: a temporary file, fsync, then rename over the old one.

    A crash leaves either the old file or the new one, never a truncated mix, so no reviewed
    entry can be lost half-way.

    Raises
    ------
    ClaimsError
        If the folder cannot be written.
    """
    path = Path(path) if path is not None else default_path()
    text = dump_claims(claim_set)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".tmp-claims-", dir=path.parent)
    except OSError as err:
        raise ClaimsError(f"{path}: cannot write the claims file ({err.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    # The rename itself is durable only once the directory entry is flushed.
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _check_evidence(
    owner: str, evidence: Sequence[Evidence], corpus: Mapping[str, Article], date: dt.date
) -> list[str]:
    problems: list[str] = []
    for number, item in enumerate(evidence, start=1):
        article = corpus.get(item.article)
        if article is None:
            problems.append(
                f"{owner} evidence {number}: article {item.article!r} is not in the corpus; "
                f"expected one of: {', '.join(corpus) or '(none)'}"
            )
            continue
        quote = normalize_quote(item.quote)
        if quote not in normalize_quote(article.text):
            problems.append(
                f"{owner} evidence {number}: quote not found in {item.article}: "
                f"{_short(item.quote)!r}; copy the sentence exactly from the article"
            )
        elif item.start is not None and item.end is not None:
            span = normalize_quote(article.text[item.start : item.end])
            if span != quote:
                problems.append(
                    f"{owner} evidence {number}: offsets {item.start}-{item.end} of "
                    f"{item.article} hold {_short(span)!r}, not the quote; fix or drop them"
                )
        if date > article.published:
            problems.append(
                f"{owner}: dated {date.isoformat()}, after its evidence {item.article} was "
                f"published ({article.published.isoformat()}); a claim cannot postdate its source"
            )
    return problems


def _short(text: str, limit: int = 70) -> str:
    text = normalize_quote(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_claims(claim_set: ClaimSet, corpus: Mapping[str, Article]) -> list[str]:
    """Check a claim set against the corpus; return the problems a person must fix.

    Checks that every quote is found verbatim in its article (after normalising quotes and
    whitespace), offsets point at the quote, ids are unique, region ids, dispositions, actors and
    proposal ids are known, and no claim is dated after the article that reports it.

    Parameters
    ----------
    claim_set
        The loaded claims file.
    corpus
        Article id -> Article, as from ``mapdash.corpus.load_corpus``.

    Returns
    -------
    list of str
        Empty when everything checks out.
    """
    problems: list[str] = []
    actors = known_actors()
    known_regions = set(REGION_IDS)
    proposal_ids = {p.id for p in claim_set.proposals}
    seen: set[str] = set()
    for proposal in claim_set.proposals:
        owner = f"proposal {proposal.id}"
        if proposal.id in seen:
            problems.append(f"{owner}: id used twice; ids must be unique")
        seen.add(proposal.id)
        if proposal.actor not in actors:
            problems.append(
                f"{owner}: unknown actor {proposal.actor!r}; expected one of {', '.join(actors)}"
            )
        if not any(c.proposal == proposal.id for c in claim_set.claims):
            problems.append(f"{owner}: no claim belongs to it; add claims or remove it")
    for claim in claim_set.claims:
        owner = f"claim {claim.id}"
        if claim.id in seen:
            problems.append(f"{owner}: id used twice; ids must be unique")
        seen.add(claim.id)
        if claim.actor not in actors:
            problems.append(
                f"{owner}: unknown actor {claim.actor!r}; expected one of {', '.join(actors)}"
            )
        for region, disposition in claim.regions.items():
            if region != ALL_OCCUPIED and region not in known_regions:
                problems.append(
                    f"{owner}: unknown region {region!r}; expected one of "
                    f"{', '.join(REGION_IDS)} or '*' for all occupied territory"
                )
            if disposition not in DISPOSITIONS:
                problems.append(
                    f"{owner}: region {region} has unknown disposition {disposition!r}; "
                    f"expected one of {', '.join(DISPOSITIONS)}"
                )
        if claim.proposal is not None and claim.proposal not in proposal_ids:
            problems.append(
                f"{owner}: proposal {claim.proposal!r} is not defined under 'proposals'"
            )
        if claim.date_precision == "month" and claim.date.day != 1:
            problems.append(f"{owner}: month precision but the date is not the 1st of a month")
        problems += _check_evidence(owner, claim.evidence, corpus, claim.date)
    for fact in claim_set.control:
        owner = f"control {fact.id}"
        if fact.id in seen:
            problems.append(f"{owner}: id used twice; ids must be unique")
        seen.add(fact.id)
        if fact.region not in known_regions and fact.region != WHOLE_UKRAINE:
            problems.append(
                f"{owner}: unknown region {fact.region!r}; expected one of "
                f"{', '.join(REGION_IDS)} or '{WHOLE_UKRAINE}' for Ukraine as a whole"
            )
        problems += _check_evidence(owner, fact.evidence, corpus, fact.date)
    return problems


@dataclass(frozen=True)
class LeftOut:
    """A claim, control fact or proposal that failed its check and is not served."""

    kind: Literal["claim", "control", "proposal"]
    id: str
    problems: tuple[str, ...]

    def describe(self) -> str:
        """Say what was left out and why, in one line."""
        return f"{self.kind} {self.id} left out: " + "; ".join(
            p.split(": ", 1)[-1] for p in self.problems
        )


def servable_claims(
    claim_set: ClaimSet, corpus: Mapping[str, Article]
) -> tuple[ClaimSet, tuple[LeftOut, ...]]:
    """Return the claims that pass :func:`check_claims`, and what was left out and why.

    A claim with an unknown region, a quote not in its article, an unknown actor... is not
    served; the rest are. A claim of a proposal that is left out is left out too.

    Parameters
    ----------
    claim_set
        The loaded claims file.
    corpus
        The articles the evidence must be found in.

    Returns
    -------
    tuple
        The servable claim set and the left-out items, in file order.
    """
    problems = check_claims(claim_set, corpus)

    def mine(kind: str, ident: str) -> tuple[str, ...]:
        prefix = f"{kind} {ident}:"
        return tuple(p for p in problems if p.startswith(prefix))

    left: list[LeftOut] = []
    proposals = []
    for proposal in claim_set.proposals:
        # A proposal whose claims are all left out is not a reason to leave it out.
        found = tuple(p for p in mine("proposal", proposal.id) if "no claim belongs" not in p)
        if found:
            left.append(LeftOut("proposal", proposal.id, found))
        else:
            proposals.append(proposal)
    kept_proposals = {p.id for p in proposals}
    claims = []
    for claim in claim_set.claims:
        found = mine("claim", claim.id)
        if not found and claim.proposal is not None and claim.proposal not in kept_proposals:
            found = (f"claim {claim.id}: its proposal {claim.proposal} is left out",)
        if found:
            left.append(LeftOut("claim", claim.id, found))
        else:
            claims.append(claim)
    control = []
    for fact in claim_set.control:
        found = mine("control", fact.id)
        if found:
            left.append(LeftOut("control", fact.id, found))
        else:
            control.append(fact)
    served = ClaimSet(claims=tuple(claims), proposals=tuple(proposals), control=tuple(control))
    return served, tuple(left)


def _evidence_keys(claim: Claim) -> set[tuple[str, str]]:
    return {(e.article, normalize_quote(e.quote)) for e in claim.evidence}


def merge_claims(
    claim_set: ClaimSet,
    candidates: Iterable[Claim],
    control: Iterable[ControlFact] = (),
) -> MergeResult:
    """Add new candidate claims and control facts as ``extracted``, leaving existing entries.

    A candidate claim is skipped when a claim with its id exists, or when an existing claim of
    the same actor already quotes one of its evidence sentences; a control fact when one with
    its id exists or one of the same region and holder quotes its sentence. So merging twice
    adds nothing twice. The rules that produced each candidate are kept with it.
    """
    claims = list(claim_set.claims)
    ids = {c.id for c in claims} | {p.id for p in claim_set.proposals}
    known: set[tuple[str, str, str]] = {
        (c.actor, *key) for c in claims for key in _evidence_keys(c)
    }
    added: list[str] = []
    for candidate in candidates:
        keys = {(candidate.actor, *key) for key in _evidence_keys(candidate)}
        if candidate.id in ids or keys & known:
            continue
        new = dataclasses.replace(
            candidate,
            regions=dict(candidate.regions),
            proposal=candidate.proposal if candidate.proposal in ids else None,
            status="extracted",
        )
        claims.append(new)
        ids.add(new.id)
        known |= keys
        added.append(new.id)
    facts = list(claim_set.control)
    fact_ids = {f.id for f in facts}
    fact_keys: set[tuple[str, str, str, str]] = {
        (f.region, f.holder, e.article, normalize_quote(e.quote)) for f in facts for e in f.evidence
    }
    for fact in control:
        fact_key = {
            (fact.region, str(fact.holder), e.article, normalize_quote(e.quote))
            for e in fact.evidence
        }
        if fact.id in fact_ids or fact_key & fact_keys:
            continue
        facts.append(dataclasses.replace(fact, status="extracted"))
        fact_ids.add(fact.id)
        fact_keys |= fact_key
        added.append(fact.id)
    merged = ClaimSet(claims=tuple(claims), proposals=claim_set.proposals, control=tuple(facts))
    return MergeResult(claim_set=merged, added=tuple(added))


def unreviewed(claim_set: ClaimSet) -> tuple[int, int]:
    """How many claims and control facts are machine-extracted and not yet reviewed."""
    return (
        sum(c.status != "reviewed" for c in claim_set.claims),
        sum(f.status != "reviewed" for f in claim_set.control),
    )


def check_passed(claim_set: ClaimSet, *, articles: int) -> str:
    """Say that a claim set passed :func:`check_claims`, with its counts (``claims --check``)."""
    claims_open, facts_open = unreviewed(claim_set)
    return (
        f"claims file OK: {len(claim_set.claims)} claims, {len(claim_set.proposals)} proposals, "
        f"{len(claim_set.control)} control facts; every quote found in its article "
        f"({articles} articles); unreviewed (status: extracted): {claims_open} claim(s), "
        f"{facts_open} control fact(s)"
    )


ClaimsFormat = Literal["json", "csv", "table"]
_CSV_COLUMNS = (
    "id",
    "date",
    "date_precision",
    "actor",
    "speaker",
    "kind",
    "regions",
    "summary",
    "proposal",
    "status",
    "evidence",
)


def render_claims(claims: Sequence[Claim], *, fmt: ClaimsFormat = "table") -> str:
    """Render claims as JSON (a list of objects), CSV or a plain-text table.

    In CSV, ``regions`` is written ``donetsk=to_russia;luhansk=to_russia`` and ``evidence`` as
    ``article: quote`` entries joined by `` | ``.
    """
    if fmt == "json":
        return json.dumps([claim_to_data(c) for c in claims], indent=2, ensure_ascii=False)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(_CSV_COLUMNS)
        for claim in claims:
            writer.writerow(
                [
                    claim.id,
                    claim.date.isoformat(),
                    claim.date_precision,
                    claim.actor,
                    claim.speaker or "",
                    claim.kind,
                    ";".join(f"{k}={v}" for k, v in claim.regions.items()),
                    claim.summary,
                    claim.proposal or "",
                    claim.status,
                    " | ".join(f"{e.article}: {normalize_quote(e.quote)}" for e in claim.evidence),
                ]
            )
        return buffer.getvalue().rstrip("\n")
    lines = [f"{'date':<11}{'actor':<14}{'kind':<10}{'status':<10}regions -> disposition"]
    for claim in claims:
        regions = ", ".join(f"{k}={v}" for k, v in claim.regions.items())
        date = (
            claim.date.isoformat() if claim.date_precision == "day" else claim.date.isoformat()[:7]
        )
        lines.append(f"{date:<11}{claim.actor:<14}{claim.kind:<10}{claim.status:<10}{regions}")
        lines.append(f"{'':<11}{claim.id}: {claim.summary}")
    lines.append(f"{len(claims)} claims")
    return "\n".join(lines)
