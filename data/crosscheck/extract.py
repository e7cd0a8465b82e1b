"""Rebuild the cross-check copies in this folder from the official texts they were taken from.

The kit's treaty text (``data/gc3.json`` and the other treaty files) follows the ICRC IHL
database. To catch transcription slips, every paragraph is compared in the tests with official
copies that were published independently of the ICRC and of each other:

``CA``  Canada, Geneva Conventions Act, R.S.C. 1985, c. G-3, Schedules I-VI, as published by
        the Department of Justice in the public repository ``justicecanada/laws-lois-xml``
        (file ``eng/acts/G-3.xml``).
``NL``  the Netherlands treaty database (``verdragenbank``), English texts, as kept in the
        public repository ``statengeneraal/laws-markdown``.
``NZ``  New Zealand, Geneva Conventions Act 1958, Schedules 1-6, as kept in the public
        repository ``wombleton/gitlaw-nz`` (a copy of the New Zealand Legislation website).

Usage (each repository cloned somewhere; any commit can be named, HEAD by default)::

    python data/crosscheck/extract.py ca PATH/TO/laws-lois-xml
    python data/crosscheck/extract.py nl PATH/TO/laws-markdown
    python data/crosscheck/extract.py nz PATH/TO/gitlaw-nz

What the script does to the text, and nothing more:

* it keeps the words and punctuation of each copy exactly as printed, including its typos,
  spelling and quotation marks (normalising them for comparison is the tests' job, see
  ``powkit/crosscheck.py``);
* it removes the publishing markup: XML elements (CA), Markdown links, emphasis, escapes and
  ``<sup>`` footnotes (NL, NZ), list bullets and indentation (NZ);
* it cuts each copy into articles (the closing "In witness whereof", signatures and annexes
  printed after the last article are not part of it) and, within an article, into the blocks
  the copy prints
  (paragraphs and list items; the NL copy of the 1949 Conventions prints each article as one
  block), keeping a printed item label such as ``(a)`` or ``1.`` apart from the text when the
  copy marks it as a label, and collapsing runs of spaces to one.

Only the articles the kit carries are stored (``ARTICLES`` below); when the kit adds an
article, add its number there and run the script again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: The articles the kit carries, per treaty (the tests check this against the treaty files).
ARTICLES: dict[str, list[int]] = {
    "GCI": [15, 16, 17],
    "GCIII": list(range(1, 144)),
    "GCIV": [4, 5, 27],
    "API": [5, 32, 33, 34, 41, 43, 44, 45, 46, 47, 75, 85, 86, 87, 90, 91],
    "APII": [1, 4, 5, 6],
}

#: File-name stem of each treaty in this folder.
STEMS = {"GCI": "gc1", "GCIII": "gc3", "GCIV": "gc4", "API": "api1", "APII": "api2"}

EXTRACTION = (
    "Words and punctuation exactly as printed in the copy (typos, spelling and quotation marks "
    "included); publishing markup removed; runs of whitespace collapsed to one space; each "
    "article cut into the blocks the copy prints, with a printed item label kept apart from the "
    "text where the copy marks it as a label. Made by data/crosscheck/extract.py."
)


# --------------------------------------------------------------------------- shared helpers


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def _file_at(repo: Path, commit: str, path: str) -> tuple[str, str, str]:
    """The file's text at ``commit``, the commit that last changed it, and that commit's date."""
    text = _git(repo, "show", f"{commit}:{path}")
    last = _git(repo, "log", "-1", "--format=%H %cs", commit, "--", path).split()
    return text, last[0], last[1]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_TESTIMONIUM = re.compile(r"^in witness whereof\b", re.IGNORECASE)


def _end_at_testimonium(articles: dict[str, dict]) -> None:
    """Cut the closing formula ("In witness whereof...") and what follows off the last article.

    The copies print the testimonium, signatures and annexes straight after the last article;
    they are not part of it.
    """
    for entry in articles.values():
        for i, block in enumerate(entry["blocks"]):
            if _TESTIMONIUM.match(block["text"]):
                del entry["blocks"][i:]
                break


def _write(treaty: str, witness: str, source: dict, articles: dict[str, dict]) -> Path:
    _end_at_testimonium(articles)
    wanted = ARTICLES[treaty]
    missing = [n for n in wanted if str(n) not in articles]
    if missing:
        raise SystemExit(f"{witness} copy of {treaty}: articles not found: {missing}")
    out = {
        "treaty": treaty,
        "witness": witness,
        "source": source,
        "extraction": EXTRACTION,
        "articles": {str(n): articles[str(n)] for n in wanted},
    }
    path = HERE / f"{STEMS[treaty]}-{witness.lower()}.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def _today() -> str:
    return dt.date.today().isoformat()


# --------------------------------------------------------------------------- Canada (XML)

CA_PATH = "eng/acts/G-3.xml"
CA_SCHEDULES = {
    "GCI": "SCHEDULE I",
    "GCIII": "SCHEDULE III",
    "GCIV": "SCHEDULE IV",
    "API": "SCHEDULE V",
    "APII": "SCHEDULE VI",
}
_CA_ARTICLE = re.compile(r"^Article (\d+)(?:\s*[—-]\s*(.+))?$")


def _ca_text(element: ET.Element) -> str:
    """All the words inside an element, markup dropped (emphasis, language tags, defined terms)."""
    return _squash("".join(element.itertext()))


def _ca_blocks(provision: ET.Element, depth: int, out: list[dict]) -> None:
    label = provision.find("Label")
    text = provision.find("Text")
    block = {"text": _ca_text(text) if text is not None else ""}
    if label is not None:
        block = {"label": _squash(label.text or ""), **block}
    if depth:
        block["depth"] = depth
    out.append(block)
    for child in provision.findall("Provision"):
        _ca_blocks(child, depth + 1, out)


def _ca_articles(schedule: ET.Element) -> dict[str, dict]:
    found: dict[str, dict] = {}

    def walk(group: ET.Element, context: list[str]) -> None:
        heading = group.find("GroupHeading")
        # Label ("PART I") and title ("General Provisions") are separate elements: keep a space.
        title = (
            " ".join(_squash(bit) for bit in heading.itertext() if bit.strip())
            if heading is not None
            else ""
        )
        match = _CA_ARTICLE.match(title)
        if match:
            blocks: list[dict] = []
            for provision in group.findall("Provision"):
                _ca_blocks(provision, 0, blocks)
            found[match.group(1)] = {
                "heading": match.group(2),
                "context": list(context),
                "blocks": blocks,
            }
            return
        for child in group.findall("Group"):
            walk(child, context + [title] if title else context)

    for document in schedule.findall("DocumentInternal"):
        for group in document.findall("Group"):
            walk(group, [])
    return found


def extract_ca(repo: Path, commit: str) -> list[Path]:
    text, last, date = _file_at(repo, commit, CA_PATH)
    root = ET.fromstring(text.lstrip("\ufeff"))
    schedules = {}
    for schedule in root.iter("Schedule"):
        label = schedule.find("ScheduleFormHeading/Label")
        if label is not None and label.text:
            schedules[_squash(label.text)] = schedule
    stages = root.find("Identification/BillHistory/Stages/Date")
    consolidated = (
        "-".join(f"{int(stages.find(p).text):02d}" for p in ("YYYY", "MM", "DD"))
        if stages is not None
        else None
    )
    written = []
    for treaty, label in CA_SCHEDULES.items():
        source = {
            "title": f"Geneva Conventions Act, R.S.C. 1985, c. G-3, {label.title()}",
            "publisher": "Department of Justice Canada",
            "repository": "justicecanada/laws-lois-xml",
            "path": CA_PATH,
            "commit": last,
            "commit_date": date,
            "url": f"https://github.com/justicecanada/laws-lois-xml/blob/{last}/{CA_PATH}",
            "consolidated_to": consolidated,
            "point_in_time": root.get("{http://justice.gc.ca/lims}pit-date"),
            "retrieved": _today(),
        }
        written.append(_write(treaty, "CA", source, _ca_articles(schedules[label])))
    return written


# --------------------------------------------------------------------------- Netherlands (Markdown)

NL_PATHS = {
    "GCI": "verdrag/verdrag/van/genève/voor/de/verbetering/van/het/lot/der/gewonden/en/zieken/etc/BWBV0005565/README.md",
    "GCIII": "verdrag/verdrag/van/genève/betreffende/de/behandeling/van/krijgsgevangenen/BWBV0005584/README.md",
    "GCIV": "verdrag/verdrag/van/genève/betreffende/de/bescherming/van/burgers/in/oorlogstijd/BWBV0005569/README.md",
    "API": "verdrag/protocol/additional/to/the/geneva/conventions/of/12/august/1949/and/etc/BWBV0004091/README.md",
    "APII": "verdrag/protocol/additional/to/the/geneva/conventions/of/12/august/1949/and/etc/BWBV0003921/README.md",
}
NL_IDS = {"GCI": "BWBV0005565", "GCIII": "BWBV0005584", "GCIV": "BWBV0005569"}
NL_IDS.update({"API": "BWBV0004091", "APII": "BWBV0003921"})
_NL_ARTICLE = re.compile(r"^###\s*Article\s+(\d+)\s*$")
_NL_LABEL = re.compile(r"^(\d{1,2}\.(?=\s)|\([a-z]{1,4}\)|\(\d{1,2}\))\s*(.*)$")


def _md_clean(line: str) -> str:
    line = re.sub(r"<sup>.*?</sup>", " ", line)
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)  # [words](link) -> words
    line = re.sub(r"<[^>]+>", " ", line)
    line = html.unescape(line)
    line = re.sub(r"(?<!\w)[*_]{1,2}(?=\S)|(?<=\S)[*_]{1,2}(?!\w)", "", line)  # *emphasis*
    line = re.sub(r"\\(.)", r"\1", line)  # Markdown escapes: 1\. -> 1.
    line = line.replace("---", "\u2014").replace("--", "\u2013")  # Markdown's typed dashes
    line = line.replace('""', '"')  # the NZ copy doubles every quotation mark
    return _squash(line)


def _nl_articles(text: str) -> dict[str, dict]:
    """Articles of the English text only: the NL files also hold the Dutch and French texts."""
    found: dict[str, dict] = {}
    current: dict | None = None
    context: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        article = _NL_ARTICLE.match(line)
        if article:
            number = article.group(1)
            if number in found:  # a second "Article 1": the next language begins
                break
            current = found[number] = {"heading": None, "context": list(context), "blocks": []}
            continue
        if line.startswith("####") and current is not None and not current["blocks"]:
            current["heading"] = _md_clean(line.lstrip("#"))
            continue
        if line.startswith("#"):
            heading = _md_clean(line.lstrip("#"))
            if re.match(r"^(PART|SECTION|CHAPTER|TITLE)\b", heading, re.IGNORECASE):
                current = None
                context = (
                    [heading] if heading.upper().startswith("PART") else context[:1] + [heading]
                )
            elif current is None and context:
                context[-1] += f" {heading}"
            continue
        if not line or current is None:
            continue
        cleaned = _md_clean(line)
        if not cleaned:
            continue
        label = _NL_LABEL.match(cleaned)
        if label:
            current["blocks"].append({"label": label.group(1), "text": label.group(2)})
        else:
            current["blocks"].append({"text": cleaned})
    return found


def extract_nl(repo: Path, commit: str) -> list[Path]:
    written = []
    for treaty, path in NL_PATHS.items():
        text, last, date = _file_at(repo, commit, path)
        source = {
            "title": f"Netherlands treaty database, {NL_IDS[treaty]}, English text",
            "publisher": "Government of the Netherlands (wetten.overheid.nl / verdragenbank)",
            "repository": "statengeneraal/laws-markdown",
            "path": path,
            "commit": last,
            "commit_date": date,
            "url": f"https://github.com/statengeneraal/laws-markdown/blob/{last}/{path}",
            "retrieved": _today(),
        }
        written.append(_write(treaty, "NL", source, _nl_articles(text)))
    return written


# --------------------------------------------------------------------------- New Zealand (Markdown)

NZ_PATH = "acts/G/Geneva Conventions Act 1958.md"
NZ_SCHEDULES = {
    "GCI": "Schedule 1",
    "GCIII": "Schedule 3",
    "GCIV": "Schedule 4",
    "API": "Schedule 5",
    "APII": "Schedule 6",
}
_NZ_ARTICLE = re.compile(r"^#{3,6}\s+Article\s+(\d+)(?:\s*-{2,3}\s*(.+))?$")
_NZ_LABEL = re.compile(r"^([A-Z]\.|\d{1,2}\.|\([a-z]{1,4}\)|\(\d{1,2}\))\s+(.*)$")


def _nz_articles(lines: list[str]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    current: dict | None = None
    context: list[str] = []
    pending_title = False
    for raw in lines:
        stripped = raw.strip()
        article = _NZ_ARTICLE.match(stripped.lstrip("* ").strip())
        if article:
            current = found[article.group(1)] = {
                "heading": _md_clean(article.group(2)) if article.group(2) else None,
                "context": list(context),
                "blocks": [],
            }
            continue
        if stripped.startswith("#"):
            heading = _md_clean(stripped.lstrip("#"))
            current = None
            if re.match(r"^(Part|Section|Chapter)\b", heading, re.IGNORECASE):
                if heading.lower().startswith("part"):
                    context = [heading]
                elif heading.lower().startswith("section"):
                    context = context[:1] + [heading]
                else:
                    context = [c for c in context if not c.lower().startswith("chapter")] + [
                        heading
                    ]
                pending_title = True
            continue
        if not stripped:
            continue
        if current is None:
            if pending_title and context and not stripped.startswith("*"):
                context[-1] += f" {_md_clean(stripped)}"
                pending_title = False
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        body = stripped[1:].strip() if stripped.startswith("* ") else stripped
        depth = indent // 4
        cleaned = _md_clean(body)
        if not cleaned or (cleaned.startswith(("Schedule ", "Article ")) and "amended" in cleaned):
            continue
        label = _NZ_LABEL.match(cleaned)
        block = {"label": label.group(1), "text": label.group(2)} if label else {"text": cleaned}
        if depth:
            block["depth"] = depth
        current["blocks"].append(block)
    return found


def extract_nz(repo: Path, commit: str) -> list[Path]:
    text, last, date = _file_at(repo, commit, NZ_PATH)
    lines = text.splitlines()
    starts = {
        line.strip("# ").strip(): i
        for i, line in enumerate(lines)
        if re.match(r"^## Schedule \d+\s*$", line)
    }
    order = sorted(starts.values())
    written = []
    for treaty, label in NZ_SCHEDULES.items():
        begin = starts[label]
        end = next((i for i in order if i > begin), len(lines))
        source = {
            "title": f"Geneva Conventions Act 1958 (New Zealand), {label}",
            "publisher": "New Zealand Parliamentary Counsel Office (legislation.govt.nz), "
            "as copied by the gitlaw-nz project",
            "repository": "wombleton/gitlaw-nz",
            "path": NZ_PATH,
            "commit": last,
            "commit_date": date,
            "url": f"https://github.com/wombleton/gitlaw-nz/blob/{last}/{NZ_PATH.replace(' ', '%20')}",
            "retrieved": _today(),
        }
        written.append(_write(treaty, "NZ", source, _nz_articles(lines[begin + 1 : end])))
    return written


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("witness", choices=["ca", "nl", "nz"])
    parser.add_argument("repository", type=Path, help="a clone of the source repository")
    parser.add_argument("--commit", default="HEAD")
    args = parser.parse_args(argv)
    extract = {"ca": extract_ca, "nl": extract_nl, "nz": extract_nz}[args.witness]
    for path in extract(args.repository, args.commit):
        print(f"wrote {path.relative_to(HERE.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
