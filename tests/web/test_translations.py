"""The Thai catalog: every string the code and templates can show is translated.

The compiled catalog (messages.mo) is a build product: `make translations` writes it before
`make run`, `make test` and `make bench` (docs/deployment.md for a release), so it is not in git.

When a string is added or changed:
    pybabel extract -F babel.cfg -k _l -k lazy_gettext -o /tmp/messages.pot .
    pybabel update -i /tmp/messages.pot -d governance/translations
    (translate the new entries in governance/translations/th/LC_MESSAGES/messages.po)
    pybabel compile -d governance/translations -f
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "governance" / "translations" / "th" / "LC_MESSAGES"
# The keywords of the documented extract command: pybabel extract -k _l -k lazy_gettext
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalog():
    with (CATALOG / "messages.po").open("rb") as po:
        return read_po(po, locale="th")


def _extracted() -> set[str]:
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS)
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def test_every_extracted_string_has_a_thai_translation():
    catalog = _catalog()
    translated = {m.id: m.string for m in catalog if m.id and not m.fuzzy}
    untranslated = sorted(msgid for msgid in _extracted() if not translated.get(msgid, "").strip())
    assert untranslated == [], "run pybabel extract/update and translate these"


def test_translations_keep_their_placeholders_and_are_thai():
    for message in _catalog():
        if not message.id:
            continue
        assert sorted(PLACEHOLDER.findall(message.string)) == sorted(PLACEHOLDER.findall(message.id)), message.id
        assert re.search(r"[\u0e00-\u0e7f]", message.string), message.id
        assert not message.fuzzy, message.id
    assert list(_catalog().check()) == []
