"""The Dutch interface is complete, and the compiled catalogues match their sources.

Dutch (nl) is the default language: every msgid in locale/nl needs a msgstr, and a fuzzy entry
counts as missing because Django ignores it. After `make messages` (makemessages +
compilemessages) the committed .mo files must be exactly what msgfmt makes of the .po files.
"""

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
NL_PO = LOCALE_DIR / "nl" / "LC_MESSAGES" / "django.po"
LOCALES = ["nl", "en"]

# %(name)s, %(rent).2f, %s, %d: the placeholders a translation must keep.
PLACEHOLDER = re.compile(r"%\(\w+\)(?:\.\d+)?[sdf]|%[sd]")


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstrs: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        ctx = f"[{self.msgctxt}] " if self.msgctxt else ""
        return f"line {self.line}: {ctx}{self.msgid!r}"


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    body = text[1:-1]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), body)


def parse_po(path: Path) -> list[Entry]:
    """A tiny .po parser: enough for what makemessages writes (obsolete #~ entries are skipped)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    key: str | None = None
    keyword = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$")
    pending_flags: set[str] = set()
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            key = None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            pending_flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if line.startswith("#"):
            continue
        match = keyword.match(line)
        if match:
            name, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if name == "msgctxt" or (name == "msgid" and key != "msgctxt"):
                entry = Entry(line=lineno, flags=pending_flags)
                entries.append(entry)
                pending_flags = set()
            assert entry is not None, f"{path}:{lineno}: {name} outside an entry"
            if name == "msgctxt":
                entry.msgctxt = value
            elif name == "msgid":
                entry.msgid = value
            elif name == "msgid_plural":
                entry.msgid_plural = value
            else:
                entry.msgstrs[int(index or 0)] = value
            key = f"msgstr[{index}]" if index is not None else name
            continue
        assert line.startswith('"') and entry is not None and key, f"{path}:{lineno}: {raw!r}"
        value = _unquote(line)
        if key == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + value
        elif key == "msgid":
            entry.msgid += value
        elif key == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + value
        else:
            index = int(key[7:-1]) if key.startswith("msgstr[") else 0
            entry.msgstrs[index] += value
    return entries


@pytest.fixture(scope="module")
def nl_entries() -> list[Entry]:
    assert NL_PO.exists(), f"{NL_PO} is missing: run `make messages`"
    return parse_po(NL_PO)


def test_parser_reads_the_catalogue(nl_entries):
    header = nl_entries[0]
    assert header.msgid == ""
    assert "Language: nl" in header.msgstrs[0]
    assert any(e.msgid_plural for e in nl_entries), "expected at least one plural entry"
    assert len(nl_entries) > 100


def test_every_dutch_entry_is_translated_and_not_fuzzy(nl_entries):
    problems = []
    for entry in nl_entries:
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.label}")
        if entry.msgid == "":  # the header
            continue
        expected = 2 if entry.msgid_plural is not None else 1
        forms = [entry.msgstrs.get(i, "") for i in range(expected)]
        if not all(form.strip() for form in forms):
            problems.append(f"untranslated: {entry.label}")
    assert not problems, (
        f"{len(problems)} entries in {NL_PO.relative_to(LOCALE_DIR.parent)} need work:\n"
        + "\n".join(problems)
    )


def test_dutch_translations_keep_the_placeholders(nl_entries):
    problems = []
    for entry in nl_entries:
        if entry.msgid == "":
            continue
        for index, msgstr in entry.msgstrs.items():
            if not msgstr:
                continue
            source = entry.msgid_plural if index and entry.msgid_plural else entry.msgid
            want, got = sorted(PLACEHOLDER.findall(source)), sorted(PLACEHOLDER.findall(msgstr))
            # The singular form may spell out "1" instead of using the count.
            if got != want and not (entry.msgid_plural and index == 0 and set(got) <= set(want)):
                problems.append(f"{entry.label}: {want} != {got} in {msgstr!r}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogue_matches_its_source(locale, tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (gettext) is not installed")
    po = LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `make messages`"
    fresh = tmp_path / "django.mo"
    # The same command Django's compilemessages runs.
    result = subprocess.run(
        [msgfmt, "--check-format", "-o", fresh, po], capture_output=True, text=True
    )
    assert result.returncode == 0, f"msgfmt rejects {po}:\n{result.stderr}"
    assert fresh.read_bytes() == mo.read_bytes(), (
        f"{mo.relative_to(LOCALE_DIR.parent)} is out of date with its .po: run `make messages`"
    )


def test_dutch_is_the_default_language():
    assert settings.LANGUAGE_CODE == "nl"


def test_gettext_renders_dutch():
    with translation.override("nl"):
        assert translation.gettext("Households") == "Huishoudens"
        assert translation.gettext("Linked municipality") == "Gekoppelde gemeente"
        assert translation.gettext("Log in") == "Inloggen"
        assert translation.gettext("Skip to content") == "Naar de inhoud"
        assert translation.ngettext("%(n)s household", "%(n)s households", 1) % {"n": 1} == (
            "1 huishouden"
        )
        assert translation.ngettext("%(n)s household", "%(n)s households", 3) % {"n": 3} == (
            "3 huishoudens"
        )
    with translation.override("en"):
        assert translation.gettext("Households") == "Households"


def test_login_page_is_dutch_by_default_and_english_on_request(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    for word in ("Inloggen", "Gebruikersnaam", "Wachtwoord", "Naar de inhoud"):
        assert word in html, word

    # English is chosen in the app (the language switcher sets the language cookie).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/accounts/login/").content.decode()
    assert "Log in" in html and "Username" in html
