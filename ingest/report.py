"""The grounding report: every mention with its grounding, and the candidates left unmapped."""

from collections import Counter
from collections.abc import Iterable, Mapping

from ingest.entities import Lexicon
from ingest.ground import Passage, unmapped_candidates
from ingest.journals import Journal
from ingest.mapping import find_journal
from ingest.records import Review

COLUMNS = ("status", "source", "field", "start", "end", "text", "id", "label", "type_or_reason")


def report_rows(passages: Iterable[Passage], *, lexicon: Lexicon) -> list[tuple[str, ...]]:
    """Return one row per mention ('mapped') and per unmapped candidate ('unmapped')."""
    rows: list[tuple[str, ...]] = []
    for passage in passages:
        for mention in passage.mentions:
            entity = lexicon.entities[mention.entity]
            rows.append(
                ("mapped", passage.label, passage.field, str(mention.start), str(mention.end),
                 mention.text, entity.id, entity.label, entity.kind)
            )  # fmt: skip
        for start, end, text, why in unmapped_candidates(passage):
            rows.append(
                ("unmapped", passage.label, passage.field, str(start), str(end), text, "", "", why)
            )
    return rows


def report_tsv(rows: Iterable[tuple[str, ...]]) -> str:
    """Return the report as TSV text with a header row."""
    lines = ["\t".join(COLUMNS)] + ["\t".join(row) for row in rows]
    return "\n".join(lines) + "\n"


def summarize(rows: Iterable[tuple[str, ...]]) -> dict[str, int]:
    """Count mentions per entity type and the unmapped candidates."""
    counts: Counter[str] = Counter()
    for row in rows:
        counts[f"mentions of {row[8]}" if row[0] == "mapped" else "unmapped candidates"] += 1
    return dict(sorted(counts.items()))


def reading_report(
    reviews: Iterable[Review], *, journals: Mapping[str, Journal]
) -> dict[str, object]:
    """Count the references read by kind; list those read partly and the unverified journals.

    A reference read partly is listed with its page, line, number and what could not be read; a
    journal no catalogue holds (kept with its printed name only) with the references printing it.
    """
    kinds: Counter[str] = Counter()
    partial: list[dict[str, object]] = []
    unverified: dict[tuple[str, str], list[int]] = {}
    statuses: dict[str, str] = {}
    for review in reviews:
        cited = [(0, review.citation)] + [
            (r.number, r.citation) for r in review.references if r.partial is None
        ]
        for reference in review.references:
            if reference.partial is not None:
                partial.append(
                    {
                        "source": review.source,
                        "line": reference.line,
                        "reference": reference.number,
                        "reason": reference.partial,
                    }
                )
            else:
                kinds[reference.citation.kind.value] += 1
        for number, citation in cited:
            journal = citation.journal
            if journal is None:
                continue
            if journal not in statuses:
                statuses[journal] = find_journal(journal, journals)[0]
            if statuses[journal] in ("ambiguous", "unknown"):
                unverified.setdefault((journal, review.source), []).append(number)
    return {
        "references": {
            "read": sum(kinds.values()),
            "partial": len(partial),
            "by_kind": dict(sorted(kinds.items())),
        },
        "partial_references": partial,
        "unverified_journals": [
            {
                "journal": journal,
                "match": statuses[journal],
                "source": source,
                "references": numbers,
            }
            for (journal, source), numbers in sorted(unverified.items())
        ],
    }


def reading_lines(reading: Mapping[str, object]) -> list[str]:
    """Return the reading report as lines for the terminal."""
    counts = reading["references"]
    assert isinstance(counts, dict)
    lines = [f"references: {counts['read']} read, {counts['partial']} read partly"]
    for item in reading["partial_references"]:  # type: ignore[attr-defined]
        lines.append(
            f"  {item['source']}:{item['line']}: reference {item['reference']} read partly: "
            f"{item['reason']}"
        )
    unverified = reading["unverified_journals"]
    assert isinstance(unverified, list)
    if unverified:
        lines.append("journals kept with their printed name only (unverified):")
        for item in unverified:
            numbers = [n for n in item["references"] if n]
            places = ["the review"] if 0 in item["references"] else []
            if numbers:
                places.append(
                    f"reference{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))}"
                )
            where = " and ".join(places)
            why = "in no catalogue" if item["match"] == "unknown" else "names several journals"
            lines.append(f"  {item['journal']} ({why}; {item['source']}: {where})")
    return lines
