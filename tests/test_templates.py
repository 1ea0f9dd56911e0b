"""Template source checks that rendering tests would only catch page by page."""

from pathlib import Path

from django.conf import settings


def test_no_comment_tag_spans_lines():
    """Django's ``{# #}`` comment is one line only: split over two lines, its text appears on
    the page (it once printed a note about the CSP above every page's header)."""
    broken = []
    for path in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.count("{#") != line.count("#}"):
                broken.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
    assert broken == []


def test_htmx_attributes_are_written_as_valid_data_attributes():
    """The Nu HTML checker rejects ``hx-get`` and friends; htmx reads ``data-hx-*`` as well."""
    import re

    bare = re.compile(r"""[\s"']hx-[a-z-]+=""")
    found = []
    roots = [Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "placement"]
    for root in roots:
        for path in sorted([*root.rglob("*.html"), *root.rglob("*.py")]):
            text = path.read_text(encoding="utf-8")
            found += [
                f"{path.relative_to(settings.BASE_DIR)}: {m.group(0)}" for m in bare.finditer(text)
            ]
            found += [
                f"{path.relative_to(settings.BASE_DIR)}: {m.group(0)}"
                for m in re.finditer(r"""["']hx-[a-z-]+["']\s*:""", text)
            ]
    assert found == []
