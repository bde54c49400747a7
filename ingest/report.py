"""The grounding report: every mention with its grounding, and the candidates left unmapped."""

from collections import Counter
from collections.abc import Iterable

from ingest.entities import Lexicon
from ingest.ground import Passage, unmapped_candidates

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
