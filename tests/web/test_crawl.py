"""Every page each role can reach, with the demo data, in Thai and in English.

The demo board (``flask demo``) is loaded once for the module. Each role signs in, picks a
language and fetches every GET route of the URL map, filled with the demo's ids as the
database has them, then every same-origin ``<a href>`` on the pages it gets (and where a
redirect points), until nothing new is left. The English pass also reads every GET route of
the JSON API with the role's bearer token. Signed out, the pages a mail link opens (RSVP,
unsubscribe, password reset, calendar feeds) are fetched with tokens the app's own services
sign for demo records.

No response may be a server error (a 403 or 404 where a role lacks the right is fine; they
are printed at the end of the module). A Thai HTML page is read as a person reads it: its
text, placeholders, alt, title and aria-label texts, button labels; not scripts, styles,
textareas or input values, nor a passage the page marks as another language (``lang="en"``).
It must show
  * no field code (``in_person``, ``held_on``) and no Python value (True/False/None);
  * no English word (Latin letters, three or more) beyond ``ALLOWED_WORDS`` and the words the
    organisation itself entered in the demo (names, titles, KPI texts);
  * no Common-Era date: a year 1990-2100 written as a date (17/02/2020, 2020-02-17, a Thai
    month followed by 2020, พ.ศ. 2020); the Buddhist Era (2533-2643) is right.

Defects seen on today's main and not yet mended are in ``KNOWN_DEFECTS``, each by page,
place on the page and word: the crawl tolerates exactly those and fails on anything new.
Delete an entry when its page is mended (the module's output lists entries nothing matched).
"""

from __future__ import annotations

import html
import inspect
import re
import time
import traceback
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
import sqlalchemy as sa
from flask import g

from governance import clock, create_app, fiscal
from governance.extensions import db
from governance.indicators.vocabulary import MeetingStatus, Topic
from governance.models import AgendaItem, AssessmentForm, Director, Meeting, MinisterialReport, User
from governance.models.audit import create_append_only_triggers, remove_append_only_triggers
from governance.services import calendars, demo, emails, imports, rsvps, users
from tests.conftest import _config

#: the demo's own day: its twelve board meetings held, October's planned and answered by six
DEMO_TODAY = date(2020, 10, 5)
ROLES = ("admin", "secretary", "director", "auditor")
LANGUAGES = ("th", "en")
HOST = "localhost"  # SERVER_NAME of the test config: absolute links to it are the app's own

#: GET routes not fetched, each with its reason. Any other GET route the demo cannot fill
#: fails the test, so that a new route is either crawled or listed here.
SKIPPED_ROUTES = {
    "static": "static files (CSS, JS): not pages, and their names are not records",
    "documents.download": "the demo uploads no document: there is no document id to fill",
    "health.healthz": "answers for the deployment: the test schema is built without migrations, so it says 503 "
                      "(tests/ops/test_healthz.py checks it on migrated databases)",
}
#: GET routes whose argument is a signed token: fetched signed out, tokens made by the services
TOKEN_ROUTES = {"rsvp.by_link", "unsubscribe.confirm", "auth.reset_password", "calendar_feeds.board",
                "calendar_feeds.director"}
#: same-origin links not followed: not pages (the language switch and sign-out are POST forms)
NOT_FOLLOWED = re.compile(r"/(?:logout|language|static/)")

# --- what a Thai page may show in Latin letters --------------------------------------------------------

#: the interface's own Latin words: file formats and the programs that open them, standards,
#: calendar apps named in the calendar instructions
ALLOWED_WORDS = frozenset({
    "PDF", "CSV", "Excel", "XLSX", "Word", "PowerPoint", "OpenDocument", "PNG", "JPEG", "ICS",
    "API", "URL", "KPI",
    "Google", "Calendar", "Outlook", "Apple",
})
#: where the organisation's own words are: every Latin word in these columns of the demo is the
#: board's text as entered ("e-Time Stamping"), not the interface's; of a JSON column, only its
#: strings with Thai in them (the English name beside them is not the Thai page's to show)
DATA_TEXT_COLUMNS = (
    ("director", "name"), ("meeting", "number"), ("meeting", "title"), ("meeting", "place"),
    ("agenda_item", "title"), ("agenda_item", "resolution"), ("action_item", "title"),
    ("action_item", "owner"), ("ministerial_report", "title"), ("self_assessment", "guidelines"),
    ("assessment_question", "text_th"), ("assessment_response", "comments"), ("assessment_answer", "comment"),
    ("kpi", "component_name"), ("kpi", "name"), ("kpi", "owner_unit"), ("kpi", "notes"), ("kpi", "definition"),
    ("kpi_progress", "evidence"), ("kpi_progress", "links"), ("website_item", "url"),
    ("fiscal_year_parameters", "document"),
)

#: places a page shows stored values on purpose, checked for nothing but server errors:
#: (the markers all present around the text) -> why
SHOWN_AS_STORED = {
    frozenset({"raw-values", "<code>"}): "a history entry's stored values, one click away for auditors (issue 16)",
}

# --- defects seen today ---------------------------------------------------------------------------------

#: word classes a KNOWN_DEFECTS entry may name instead of a regex, made from the demo and the app:
ENGLISH_TEXT = "<a word of a record's English text: a KPI's name_en or definition, a question's text_en>"
WEBSITE_KEY = "<a website checklist item's key>"
KPI_FIGURE = "<a KPI figure's code>"
IMPORT_CODE = "<an import sheet's or column's code>"

_AUDIT = r"/audit(?:\?.*)?"
#: (URL regex over path?query, where on the page: a tag "<code>", class, id or data-testid of an
#: enclosing element, or "" for anywhere; the word: a regex or a word class above) -> what is wrong.
KNOWN_DEFECTS: dict[tuple[str, str, str], str] = {
    # By design, kept in view: the import page documents the downloadable template, whose
    # headers carry each column's code beside its Thai name so that either heading imports,
    # and it says that Common-Era dates are accepted too.
    (r"/import", "", IMPORT_CODE):
        "by design: each import column and sheet named with its code beside the Thai header, as in "
        "the template file: วันที่ประชุม (held_on)",
    (r"/import", "<li>", r"15/01/2020|2020-01-15"):
        "by design: the date help says that Common-Era dates (15/01/2020, 2020-01-15) are read too",
}

# --- reading a page ------------------------------------------------------------------------------------------

_HIDDEN_TAGS = {"script", "style", "template", "textarea"}  # a textarea's text is an input's value
_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SHOWN_ATTRIBUTES = ("placeholder", "alt", "title", "aria-label")


@dataclass(frozen=True)
class Text:
    text: str
    #: the tags ("<code>"), classes, ids and data-testids of the elements it sits in
    where: frozenset[str]
    #: the start tag of the element it is in, to say where a problem is
    element: str = ""


class Page(HTMLParser):
    """What a reader sees on a page (each text with where it sits), and the page's links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[Text] = []
        self.links: list[str] = []
        self.language: str | None = None  # <html lang>
        self._open: list[tuple[str, frozenset[str], bool, str]] = []  # tag, where, hidden, start tag

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.language = attributes.get("lang")
        where, hidden = self._open[-1][1:3] if self._open else (frozenset(), False)
        element = " ".join((self.get_starttag_text() or "").split())[:100]
        where = where | {f"<{tag}>", *attributes.get("class", "").split(), *(
            attributes[name] for name in ("id", "data-testid") if attributes.get(name))}
        language = attributes.get("lang", "th")
        hidden = hidden or tag in _HIDDEN_TAGS or not language.startswith("th")
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if not hidden:
            self.texts.extend(Text(attributes[name], where, element) for name in _SHOWN_ATTRIBUTES
                              if attributes.get(name))
            if tag == "input" and attributes.get("type") in ("submit", "button", "reset") and attributes.get("value"):
                self.texts.append(Text(attributes["value"], where, element))
        if tag not in _VOID_TAGS:
            self._open.append((tag, where, hidden, element))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self._open.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth][0] == tag:
                del self._open[depth:]
                return

    def handle_data(self, data):
        where, hidden, element = self._open[-1][1:] if self._open else (frozenset(), False, "")
        if not hidden and data.strip():
            self.texts.append(Text(data, where, element))


def read_page(markup: str) -> Page:
    page = Page()
    page.feed(markup)
    page.close()
    return page


# --- what a Thai page must not show -----------------------------------------------------------------------

_THAI_MONTHS = ("มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม|"
                r"ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\.")
_CE_YEAR = r"(?:199\d|20\d\d|2100)"
_CE_DATES = (
    re.compile(rf"(?<![\d/.-])\d{{1,2}}[/.-]\d{{1,2}}[/.-]{_CE_YEAR}(?![\d/.-])"),  # 17/02/2020
    re.compile(rf"(?<![\d/.-]){_CE_YEAR}[/.-]\d{{1,2}}[/.-]\d{{1,2}}(?!\d)"),  # 2020-02-17, 2020-02-17T09:30
    re.compile(rf"(?<![\d/.-]){_CE_YEAR}-(?:0[1-9]|1[0-2])(?![\d-])"),  # 2020-02, a month
    re.compile(rf"(?:{_THAI_MONTHS})\s*(?:พ\.ศ\.\s*)?{_CE_YEAR}(?!\d)"),  # 17 กุมภาพันธ์ 2020
    re.compile(rf"(?:พ\.ศ\.|ปีงบประมาณ|ปีงบ)\s*{_CE_YEAR}(?!\d)"),  # ปีงบประมาณ 2020
)
_FIELD_CODE = re.compile(r"(?<![\w.@/-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-])")  # held_on, previous_minutes
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{[a-z_]+\}|%\(\w+\)[sd]|\{%.*?%\}")  # left unfilled
_PYTHON_VALUE = re.compile(r"(?<![\w-])(?:True|False|None)(?![\w-])")
_LATIN_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]{3,}(?![A-Za-z])")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
#: not words but things shown as they are: addresses, links, file names and extensions, and
#: this app's commands named in quotes ("flask audit verify")
_AS_THEY_ARE = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?:https?|webcal)://\S*|www\.\S+"
    r"|[\w-]*\.(?:pdf|csv|xlsx|ics|docx?|json)\b"
    r"|“flask [a-z -]+”",
    re.I,
)


@dataclass(frozen=True)
class Problem:
    url: str
    kind: str
    word: str
    snippet: str
    where: frozenset[str]
    element: str = ""


def thai_page_problems(url: str, texts: list[Text], data_words: frozenset[str]) -> list[Problem]:
    """Each thing a Thai reader should not meet on the page."""
    problems = []

    def found(kind, match, text, piece):
        snippet = text[max(0, match.start() - 40):match.end() + 40]
        problems.append(Problem(url, kind, match.group(), snippet, piece.where, piece.element))

    for piece in texts:
        if any(markers <= piece.where for markers in SHOWN_AS_STORED):
            continue
        text = " ".join(piece.text.split())
        for pattern in _CE_DATES:
            for match in pattern.finditer(text):
                found("Common-Era date", match, text, piece)
        for match in _PLACEHOLDER.finditer(text):
            found("placeholder", match, text, piece)
        text = _AS_THEY_ARE.sub(" ", _PLACEHOLDER.sub(" ", text))
        for match in _FIELD_CODE.finditer(text):
            found("field code", match, text, piece)
        for match in _PYTHON_VALUE.finditer(text):
            found("Python value", match, text, piece)
        text = _FIELD_CODE.sub(" ", _PYTHON_VALUE.sub(" ", text))
        for match in _LATIN_WORD.finditer(text):
            if match.group() not in ALLOWED_WORDS and match.group() not in data_words:
                found("English word", match, text, piece)
    return problems


# --- the demo, once for the module ----------------------------------------------------------------------

@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The demo's day, not the page tests' 15 Jan 2020 (by which its meetings were not held)."""
    monkeypatch.setattr(clock, "today", lambda: DEMO_TODAY)
    return DEMO_TODAY


@dataclass
class Demo:
    app: object
    data_words: frozenset[str]
    word_classes: dict[str, frozenset[str]]
    route_urls: list[str]
    mail_link_urls: list[str]
    refused: dict = field(default_factory=dict)
    #: each KNOWN_DEFECTS entry's words as seen, and one page and snippet for each word
    tolerated: dict = field(default_factory=lambda: defaultdict(Counter))
    examples: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)


@pytest.fixture(scope="module")
def crawl_demo(database_url, _schema, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOVERNANCE_INSTANCE_PATH", str(tmp_path_factory.mktemp("crawl") / "instance"))
        patch.setattr(clock, "today", lambda: DEMO_TODAY)
        app = create_app(_config(database_url))
        # as tests/conftest.py's app: one app context for the module, a clean ``g`` per request
        app.before_request_funcs.setdefault(None, []).insert(0, lambda: g.__dict__.clear())
        with app.app_context():
            demo.load_demo()
            db.session.commit()
            state = Demo(app=app, data_words=_data_words(), word_classes=_word_classes(),
                         route_urls=_route_urls(app), mail_link_urls=_mail_link_urls())
            db.session.commit()
            yield state
            _print_summary(state)
            db.session.remove()
            with db.engine.begin() as connection:
                remove_append_only_triggers(connection)  # the audit log refuses DELETE
                for table in reversed(db.metadata.sorted_tables):
                    connection.execute(table.delete())
                create_append_only_triggers(connection)
            db.engine.dispose()


def _strings(value, *, thai_only: bool):
    if isinstance(value, str):
        if not thai_only or _THAI.search(value):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item, thai_only=thai_only)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item, thai_only=thai_only)


def _column_values(table: str, column: str):
    yield from db.session.scalars(sa.select(db.metadata.tables[table].c[column]))


def _latin_words(texts) -> frozenset[str]:
    """The Latin words of texts, less their placeholders ("{plan_first_year}") and codes."""
    return frozenset(word for text in texts for word in _LATIN_WORD.findall(
        _FIELD_CODE.sub(" ", _PLACEHOLDER.sub(" ", _AS_THEY_ARE.sub(" ", text)))))


def _data_words() -> frozenset[str]:
    texts = []
    for table, column in DATA_TEXT_COLUMNS:
        is_json = isinstance(db.metadata.tables[table].c[column].type, sa.JSON)
        for value in _column_values(table, column):
            texts.extend(_strings(value, thai_only=is_json))
    return _latin_words(texts)


def _word_classes() -> dict[str, frozenset[str]]:
    english = [*_column_values("kpi", "name_en"), *_column_values("assessment_question", "text_en")]
    for table, column in (("kpi", "definition"), ("fiscal_year_parameters", "document"), ("kpi_snapshot", "scorecard")):
        english.extend(text for value in _column_values(table, column) for text in _strings(value, thai_only=False)
                       if not _THAI.search(text))
    return {
        ENGLISH_TEXT: _latin_words(english),
        WEBSITE_KEY: frozenset(_column_values("website_item", "key")),
        KPI_FIGURE: frozenset(_column_values("kpi_figure", "figure")),
        IMPORT_CODE: frozenset({*imports.KINDS, *(c.code for columns in imports.COLUMNS.values() for c in columns)}),
    }


def _demo_ids() -> dict[str, list]:
    def ids(query):
        return list(db.session.scalars(query))

    tables = db.metadata.tables
    meetings = ids(sa.select(Meeting).order_by(Meeting.id))
    years = {fiscal.fiscal_year_of(m.held_on) for m in meetings}
    for table in ("budget_month", "self_assessment", "kpi", "fiscal_year_parameters", "website_item"):
        years |= set(ids(sa.select(tables[table].c.fiscal_year).distinct()))
    snapshots = ids(sa.select(tables["kpi_snapshot"].c.agenda_item_id))
    mission_reports = ids(sa.select(AgendaItem.id).where(AgendaItem.topic == Topic.MISSION_REPORT)
                          .order_by(AgendaItem.id))
    return {
        "meeting_id": [m.id for m in meetings],
        "agenda_item": [(item.meeting_id, item.id) for item in ids(sa.select(AgendaItem).order_by(AgendaItem.id))],
        "director_id": ids(sa.select(Director.id).order_by(Director.id)),
        "report_id": ids(sa.select(MinisterialReport.id).order_by(MinisterialReport.id)),
        "user_id": ids(sa.select(User.id).order_by(User.id)),
        "fy": sorted(years),
        "kpi": db.session.execute(sa.select(tables["kpi"].c.fiscal_year, tables["kpi"].c.number)
                                  .order_by(tables["kpi"].c.fiscal_year, tables["kpi"].c.number)).all(),
        # a frozen scorecard's agenda item; the demo freezes none, so a mission report's (its 404 page)
        "snapshot": snapshots or mission_reports[:1],
        "website_key": ids(sa.select(tables["website_item"].c.key).distinct().order_by(tables["website_item"].c.key)),
    }


def _fillings(rule, ids: dict) -> list[dict] | None:
    """Each set of the rule's arguments the demo's records give, or None if it cannot."""
    arguments = sorted(rule.arguments)
    single = {"meeting_id", "director_id", "report_id", "user_id", "fy"}
    if not arguments:
        return [{}]
    if len(arguments) == 1 and arguments[0] in single:
        return [{arguments[0]: value} for value in ids[arguments[0]]]
    if arguments == ["fiscal_year"]:
        return [{"fiscal_year": fy} for fy in ids["fy"]]
    if arguments == ["item_id", "meeting_id"]:
        return [{"meeting_id": meeting, "item_id": item} for meeting, item in ids["agenda_item"]]
    if arguments == ["fy", "number"]:
        return [{"fy": fy, "number": number} for fy, number in ids["kpi"]]
    if arguments in (["form_code", "fy"], ["fiscal_year", "form"]):
        year, form = ("fy", "form_code") if "fy" in arguments else ("fiscal_year", "form")
        return [{year: fy, form: kind.value} for fy in ids["fy"] for kind in AssessmentForm]
    if arguments == ["fiscal_year", "key"]:
        return [{"fiscal_year": fy, "key": key} for fy in ids["fy"] for key in ids["website_key"]]
    if rule.endpoint == "kpis.snapshot":
        return [{"item_id": item} for item in ids["snapshot"]]
    if rule.endpoint == "imports.template_csv":
        return [{"kind": kind} for kind in imports.KINDS]
    return None


def _reads_the_year(app, endpoint: str) -> bool:
    """Whether a page without arguments reads ?fy= (the year selector's pages)."""
    source = inspect.getsource(inspect.unwrap(app.view_functions[endpoint]))
    return "request.args" in source and ("selected_period(" in source or "selected_fiscal_year(" in source
                                         or '"fy"' in source)


def _route_urls(app) -> list[str]:
    """Every GET route of the URL map, once for each way the demo's records fill it."""
    ids, adapter = _demo_ids(), app.url_map.bind(HOST)
    urls, unfilled = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if ("GET" not in rule.methods or rule.endpoint in SKIPPED_ROUTES or rule.endpoint in TOKEN_ROUTES
                or rule.endpoint.startswith("api.")):  # the API: crawl_api, with a bearer token
            continue
        fillings = _fillings(rule, ids)
        if fillings is None:
            unfilled.append(rule.rule)
            continue
        built = [adapter.build(rule.endpoint, values) for values in fillings]
        urls.extend(built)
        if not rule.arguments and _reads_the_year(app, rule.endpoint):  # the bare page is today's year
            urls.extend(f"{built[0]}?fy={fy}" for fy in ids["fy"] if fy != fiscal.fiscal_year_of(DEMO_TODAY))
    assert not unfilled, f"GET routes the demo cannot fill: crawl them or list them in SKIPPED_ROUTES: {unfilled}"
    return urls


def _mail_link_urls() -> list[str]:
    """The pages a mail opens, with tokens the app's services sign for the demo director."""
    planned = db.session.scalar(sa.select(Meeting).where(Meeting.status == MeetingStatus.PLANNED))
    account = db.session.scalar(sa.select(User).where(User.email == "director@example.org"))
    return [
        f"/rsvp/{rsvps.token_for(planned.id, account.director_id)}",
        *(f"/unsubscribe/{emails.unsubscribe_token(account.email, kind)}" for kind in sorted(emails.OPTIONAL_KINDS)),
        f"/password/reset/{users.password_reset_token(account, clock.now(), users.RESET)}",
        f"/password/reset/{users.password_reset_token(account, clock.now(), users.INVITATION)}",
        f"/feeds/board/{calendars.board_feed_token()}.ics",
        f"/feeds/directors/{calendars.director_feed_token(account.director)}.ics",
    ]


# --- the crawl -------------------------------------------------------------------------------------------------

@dataclass
class Crawl:
    demo: Demo
    language: str
    problems: dict[tuple[str, str, str], str] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    fetched: int = 0

    def check(self, problem: Problem) -> None:
        for entry in KNOWN_DEFECTS:
            url, where, word = entry
            if (re.fullmatch(url, problem.url) and (not where or where in problem.where)
                    and (problem.word in self.demo.word_classes[word] if word in self.demo.word_classes
                         else re.fullmatch(word, problem.word))):
                self.demo.tolerated[entry][problem.word] += 1
                self.demo.examples.setdefault((entry, problem.word),
                                              f"{problem.url}: …{problem.snippet}… in {problem.element}")
                return
        shown = f"…{problem.snippet}… in {problem.element}" if problem.element else problem.snippet
        self.problems.setdefault((problem.url, problem.kind, problem.word), shown)

    def fetch(self, client, url: str, **headers):
        """The response, or None when the view raised (the test app propagates exceptions:
        a 500 in production) or answered 5xx; both are problems."""
        self.fetched += 1
        try:
            response = client.get(url, headers=headers)
        except Exception as error:  # noqa: BLE001 - every failure of a page is reported, not only the first
            db.session.rollback()
            self.check(Problem(url, "server error", type(error).__name__, _traceback_summary(error), frozenset()))
            return None
        if response.status_code >= 500:
            self.check(Problem(url, "server error", str(response.status_code),
                               " ".join(response.get_data(as_text=True).split())[-300:], frozenset()))
            return None
        if response.status_code >= 400:
            self.refused.append(f"{response.status_code} {url}")
        return response

    def listing(self) -> str:
        return "\n".join(f"  {url} -> {kind} {word!r}: {snippet}"
                         for (url, kind, word), snippet in sorted(self.problems.items()))


_ROOT = f"{Path(__file__).resolve().parents[2]}/"


def _traceback_summary(error: BaseException) -> str:
    """The exception and the app's frames it went through, innermost last."""
    frames = [f"{frame.filename.removeprefix(_ROOT)}:{frame.lineno} {frame.name}"
              for frame in traceback.extract_tb(error.__traceback__)
              if "/site-packages/" not in frame.filename]
    return f"{type(error).__name__}: {error} ({' <- '.join(reversed(frames[-4:]))})"


def _local(base: str, href: str) -> str | None:
    """The path?query a link leads to on this app, or None for elsewhere and for non-pages."""
    absolute, _fragment = urldefrag(urljoin(f"http://{HOST}{base}", href.strip()))
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.hostname != HOST:
        return None
    path = parts.path or "/"
    if NOT_FOLLOWED.match(path):
        return None
    return f"{path}?{parts.query}" if parts.query else path


_HREF = re.compile(r"""<a\s[^>]*?\bhref\s*=\s*["']([^"']*)["']""", re.I)
_HTML_LANG = re.compile(r"""<html\s[^>]*?\blang\s*=\s*["']([^"']*)["']""", re.I)


def crawl(client, start: list[str], run: Crawl) -> None:
    queue, seen = deque(dict.fromkeys(start)), set(start)

    def follow(base, href):
        target = _local(base, href)
        if target and target not in seen:
            seen.add(target)
            queue.append(target)

    while queue:
        url = queue.popleft()
        response = run.fetch(client, url)
        if response is None:
            continue
        if 300 <= response.status_code < 400:
            follow(url, response.headers.get("Location", ""))
            continue
        if response.mimetype != "text/html":
            continue  # a download (PDF, XLSX, CSV, ICS): its status is what is checked
        body = response.get_data(as_text=True)
        if run.language == "th":  # read as a person reads it (the English pages: only their links)
            page = read_page(body)
            language, links = page.language, page.links
            for problem in thai_page_problems(url, page.texts, run.demo.data_words):
                run.check(problem)
        else:
            found = _HTML_LANG.search(body)
            language, links = found and found.group(1), [html.unescape(href) for href in _HREF.findall(body)]
        if language != run.language:  # a Thai page served in English would pass the Thai checks unread
            run.check(Problem(url, "page language", str(language), f'<html lang="{language}">', frozenset()))
        for href in links:
            follow(url, href)


def crawl_api(app, client, role: str, run: Crawl) -> None:
    """Every GET route of the JSON API, filled with the demo's ids, with the role's token."""
    response = client.post("/api/v1/auth/token", json={"email": f"{role}@example.org", "password": demo.DEMO_PASSWORD})
    assert response.status_code == 201, response.get_json()
    bearer = f"Bearer {response.get_json()['token']}"
    ids, adapter = _demo_ids(), app.url_map.bind(HOST)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or not rule.endpoint.startswith("api."):
            continue
        fillings = _fillings(rule, ids)
        assert fillings is not None, f"an API GET route the demo cannot fill: {rule.rule}"
        for values in fillings:
            run.fetch(client, adapter.build(rule.endpoint, values), Authorization=bearer)


def _sign_in(client, role: str) -> None:
    response = client.post("/login", data={"email": f"{role}@example.org", "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302, f"the demo's {role} cannot sign in ({response.status_code})"


def _choose(client, language: str) -> None:
    """The header's language button."""
    assert client.post("/language", data={"locale": language, "next": "/"}).status_code == 302


def _print_summary(state: Demo) -> None:
    print("\n--- the crawl ---")
    for key, seconds in sorted(state.timings.items()):
        print(f"{key}: {seconds:.1f} s")
    for key, refused in sorted(state.refused.items()):
        print(f"{key}: {len(refused)} refused (4xx)")
        for line in sorted(refused):
            print(f"    {line}")
    print("known defects still seen (times: reason: the words, each with a page it is on):")
    for entry, reason in KNOWN_DEFECTS.items():
        words = state.tolerated.get(entry)
        if not words:
            print(f"    UNUSED: {entry} ({reason}): delete it if its page is mended")
            continue
        print(f"    {sum(words.values()):>5}: {reason}")
        for word, times in words.most_common():
            print(f"           {times:>5} {word!r}  e.g. {state.examples[entry, word]}")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_answers_without_error_and_in_its_language(crawl_demo, role, language):
    started = time.monotonic()
    app = crawl_demo.app
    client = app.test_client()
    _sign_in(client, role)
    _choose(client, language)
    run = Crawl(crawl_demo, language)
    crawl(client, ["/", "/me", *crawl_demo.route_urls], run)
    if language == "en":  # the API speaks English whatever the reader's language: once per role
        crawl_api(app, app.test_client(), role, run)
    crawl_demo.refused[f"{role}/{language}"] = run.refused
    crawl_demo.timings[f"{role}/{language}: {run.fetched} requests"] = time.monotonic() - started
    assert not run.problems, f"{len(run.problems)} problems as {role} in {language}:\n{run.listing()}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pages_a_mail_link_opens_answer_without_error_and_in_its_language(crawl_demo, language):
    started = time.monotonic()
    client = crawl_demo.app.test_client()
    _choose(client, language)
    run = Crawl(crawl_demo, language)
    crawl(client, ["/", "/login", "/password/forgot", *crawl_demo.mail_link_urls], run)
    crawl_demo.refused[f"signed out/{language}"] = run.refused
    crawl_demo.timings[f"signed out/{language}: {run.fetched} requests"] = time.monotonic() - started
    assert not run.problems, f"{len(run.problems)} problems signed out, in {language}:\n{run.listing()}"
