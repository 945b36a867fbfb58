"""Papers as Word files (.docx), in the layout GB/T 9704-2012 sets for official papers.

A4; margins 37 mm top, 35 bottom, 28 left, 26 right; a grid of 22 lines of 28 characters;
the title in 2号 (22 pt) 小标宋, the body in 3号 (16 pt) 仿宋, headings 一、 in 黑体 and
（一） in 楷体; page numbers "— 1 —" in 4号 宋体, odd pages at the right and even pages at the
left; the 出席：/请假：/列席： lines with the label in 黑体 and the names in 仿宋, a name that
wraps aligned after the colon; the 落款 at the right.

The fonts are the committee's settings, written on every run in every slot (w:eastAsia
included: python-docx's `font.name` alone sets only the Latin slots, and Word then prints
Chinese in its default font), so quotes, dashes and ellipses are in the Chinese font too.
The document's language is zh-CN and no style refers to a theme font (WPS reports a theme's
fonts as missing). The file is built from a small package of its own rather than
python-docx's default template (whose theme, Japanese defaults and 350 KB of styles are all
wrong here), or from the office's own template (`--template`): its page setup, styles,
header and footer are kept, and the styles below are added only where it lacks them.

python-docx is imported here only, and this module only by a command asked for docx.
The same paper gives the same bytes: the zip entries carry a fixed time and the document's
dates are the command's "now" (SANJIAN_NOW).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from sanjian_cli.render.layout import (
    Block,
    Closing,
    Fields,
    Heading,
    Names,
    Paper,
    Para,
    Points,
    Table,
    Title,
    lines_of,
    marked,
)
from sanjian_cli.render.text import width

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# -- the page (GB/T 9704-2012, 5.2) in twips (1/20 pt; 1 mm = 1440 / 25.4 twips) ---------------
PAGE_W, PAGE_H = 11906, 16838  # A4
TOP, BOTTOM, LEFT, RIGHT = 2098, 1984, 1587, 1474  # 37, 35, 28, 26 mm
LINES, CHARS = 22, 28
TEXT_W = PAGE_W - LEFT - RIGHT
# One line of the grid, and the character pitch it asks of a 16 pt body font; Word stores the
# pitch as a change to the default size in 1/4096 pt. Both rounded down, so 22 lines and 28
# characters always fit.
LINE_PITCH = (PAGE_H - TOP - BOTTOM) // LINES  # 579
CHAR_PITCH = TEXT_W / CHARS  # 315.9 twips
CHAR_SPACE = int((CHAR_PITCH / 20 - 16) * 4096 // 1)  # -842
# LibreOffice spreads a character wider than the grid's pitch over two cells, so a paper's
# paragraphs do not snap to the grid; they keep to its measures instead: lines exactly one
# pitch apart, and 16 pt characters drawn TRACK twips (1/20 pt) closer, which fits 28 on a
# line in Word, WPS and LibreOffice alike.
TRACK = int((CHAR_PITCH - 320) // 1)  # -5
FOOTER = 1587  # 28 mm from the page's edge: the page number sits about 7 mm under the text

TITLE_SIZE, BODY_SIZE, PAGE_SIZE, TABLE_SIZE = 44, 32, 28, 24  # half points: 2号, 3号, 4号, 小四


@dataclass(frozen=True)
class Fonts:
    title: str = "方正小标宋简体"
    body: str = "仿宋_GB2312"
    heading: str = "黑体"
    subheading: str = "楷体_GB2312"
    page: str = "宋体"

    @classmethod
    def of(cls, config: dict[str, Any]) -> Fonts:
        """The fonts a committee's settings name (docx-*-font)."""
        return cls(
            title=config["docx-title-font"],
            body=config["docx-body-font"],
            heading=config["docx-heading-font"],
            subheading=config["docx-subheading-font"],
            page=config["docx-page-font"],
        )


# -- what a GB2312 font cannot print --------------------------------------------------------------
def _texts_by_font(paper: Paper, fonts: Fonts) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for block in paper.blocks:
        if isinstance(block, Title):
            out.append((fonts.title, block.text))
            out.append((fonts.body, block.sub))
        elif isinstance(block, Heading):
            out.append((fonts.heading if block.level == 1 else fonts.subheading, block.text))
        elif isinstance(block, Names):
            out.append((fonts.heading, block.label))
            out.append((fonts.body, block.text))
        elif isinstance(block, Table):
            out.append((fonts.heading, " ".join(block.header)))
            for row in block.rows:
                out.append((fonts.subheading if row.group else fonts.body, " ".join(row.cells)))
        else:
            out.extend((fonts.body, line) for _, line in lines_of(paper, block))
    return out


def gb2312_gaps(paper: Paper, fonts: Fonts) -> dict[str, list[str]]:
    """For each chosen `_GB2312` font, the characters of the paper it would print as boxes
    (喆、堃、昇、赟、玥、珺…: GB2312 holds 6,763 hanzi, many names' characters are not there)."""
    gaps: dict[str, list[str]] = {}
    for font, text in _texts_by_font(paper, fonts):
        if "GB2312" not in font.upper():
            continue
        for char in text:
            if ord(char) < 0x2E80 or unicodedata.category(char) != "Lo":
                continue
            try:
                char.encode("gb2312")
            except UnicodeEncodeError:
                found = gaps.setdefault(font, [])
                if char not in found:
                    found.append(char)
    return gaps


# -- the package ------------------------------------------------------------------------------
_ALT = {"仿宋_GB2312": "FangSong_GB2312", "仿宋": "FangSong", "楷体_GB2312": "KaiTi_GB2312",
        "楷体": "KaiTi", "黑体": "SimHei", "宋体": "SimSun",
        "方正小标宋简体": "FZXiaoBiaoSong-B05S"}  # fmt: skip

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_OPC = "http://schemas.openxmlformats.org/package/2006"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_PARTS = (  # part, content type
    ("/word/document.xml", f"{_WML}.document.main+xml"),
    ("/word/styles.xml", f"{_WML}.styles+xml"),
    ("/word/settings.xml", f"{_WML}.settings+xml"),
    ("/word/fontTable.xml", f"{_WML}.fontTable+xml"),
    ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
    ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
)
_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="{_OPC}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    '+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    + "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in _PARTS)
    + "</Types>"
)


def _rels(*links: tuple[str, str]) -> str:
    return (
        f'{_XML}<Relationships xmlns="{_OPC}/relationships">'
        + "".join(
            f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"/>'
            for n, (kind, target) in enumerate(links, 1)
        )
        + "</Relationships>"
    )


_RELS = _rels(
    (f"{_OFFICE}/officeDocument", "word/document.xml"),
    (f"{_OPC}/relationships/metadata/core-properties", "docProps/core.xml"),
    (f"{_OFFICE}/extended-properties", "docProps/app.xml"),
)
_DOC_RELS = _rels(
    (f"{_OFFICE}/styles", "styles.xml"),
    (f"{_OFFICE}/settings", "settings.xml"),
    (f"{_OFFICE}/fontTable", "fontTable.xml"),
)

_CORE = f"""{_XML}<cp:coreProperties xmlns:cp="{_OPC}/metadata/core-properties" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>sanjian</dc:creator>\
</cp:coreProperties>"""

_APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
<Application>sanjian</Application></Properties>"""

_SETTINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{W}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>\
<w:evenAndOddHeaders/><w:characterSpacingControl w:val="compressPunctuation"/>\
<w:compat><w:spaceForUL/><w:doNotLeaveBackslashAlone/><w:ulTrailSpace/>\
<w:doNotExpandShiftReturn/><w:useFELayout/>\
<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" \
w:val="15"/></w:compat><w:themeFontLang w:val="{{lang}}" w:eastAsia="zh-CN"/>\
<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>"""


def _fonts_xml(value: str) -> str:
    v = quoteattr(value)
    return f'<w:rFonts w:ascii={v} w:hAnsi={v} w:eastAsia={v} w:cs={v} w:hint="eastAsia"/>'


def _font_table(fonts: Fonts) -> str:
    names = list(dict.fromkeys((fonts.title, fonts.body, fonts.heading, fonts.subheading,
                                fonts.page)))  # fmt: skip
    entries = "".join(
        f"<w:font w:name={quoteattr(name)}>"
        + (f"<w:altName w:val={quoteattr(_ALT[name])}/>" if name in _ALT else "")
        + '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        for name in names
    )
    return f'{_XML}<w:fonts xmlns:w="{W}">{entries}</w:fonts>'


def _chars(n: float) -> tuple[str, str]:
    """An indent of `n` characters of the grid: in character units for Word and WPS, and
    in twips for LibreOffice, which reads only those."""
    return f"{round(n * 100)}", f"{round(n * CHAR_PITCH)}"


def _ind(first: float = 0, left: float = 0, right: float = 0, hanging: float = 0) -> str:
    attrs = []
    for name, value in (("left", left), ("right", right)):
        if value:
            chars, twips = _chars(value)
            attrs.append(f'w:{name}Chars="{chars}" w:{name}="{twips}"')
    if first:
        chars, twips = _chars(first)
        attrs.append(f'w:firstLineChars="{chars}" w:firstLine="{twips}"')
    if hanging:
        chars, twips = _chars(hanging)
        attrs.append(f'w:hangingChars="{chars}" w:hanging="{twips}"')
    return f"<w:ind {' '.join(attrs)}/>" if attrs else ""


_PPR = ("pStyle", "keepNext", "keepLines", "widowControl", "snapToGrid", "spacing", "ind", "jc",
        "outlineLvl")  # fmt: skip
_TAG = re.compile(r"<w:(\w+)")


def _ppr(*parts: str) -> str:
    """Paragraph properties in the order the schema fixes (Word refuses a file otherwise)."""
    found = re.findall(r"<w:\w+[^>]*/>", "".join(parts))
    tags = [_TAG.match(e).group(1) for e in found]  # type: ignore[union-attr]
    assert len(set(tags)) == len(tags), tags
    return "".join(e for _, e in sorted(zip((_PPR.index(t) for t in tags), found, strict=True)))


def _style(sid: str, name: str, ppr: str, font: str, size: int, based: str = "Normal") -> str:
    if "snapToGrid" not in ppr:
        ppr += '<w:snapToGrid w:val="0"/>'
    ppr = _ppr(ppr)
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{sid}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="{based}"/><w:qFormat/>'
        f"<w:pPr>{ppr}</w:pPr><w:rPr>{_fonts_xml(font)}"
        f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:style>'
    )


_EXACT = f'<w:spacing w:line="{LINE_PITCH}" w:lineRule="exact"/>'
_SINGLE = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'

STYLES = {
    # name in the document -> what a paper's block is set in
    "title": "Sanjian Title",
    "sub": "Sanjian Subtitle",
    "body": "Sanjian Body",
    "plain": "Sanjian Plain",
    "h1": "Sanjian Heading 1",
    "h2": "Sanjian Heading 2",
    "names": "Sanjian Names",
    "closing": "Sanjian Closing",
    "table": "Sanjian Table",
    "footer": "Sanjian Page Number",
}


def _styles_xml(lang: str, fonts: Fonts) -> str:
    language = "zh-CN" if lang == "zh" else "en-US"
    defaults = (
        f"<w:docDefaults><w:rPrDefault><w:rPr>{_fonts_xml(fonts.body)}"
        f'<w:kern w:val="2"/><w:sz w:val="{BODY_SIZE}"/><w:szCs w:val="{BODY_SIZE}"/>'
        f'<w:lang w:val="{language}" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    normal = (
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        f"<w:qFormat/><w:pPr>{_EXACT}</w:pPr><w:rPr>{_fonts_xml(fonts.body)}"
        f'<w:sz w:val="{BODY_SIZE}"/><w:szCs w:val="{BODY_SIZE}"/></w:rPr></w:style>'
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "</w:style>"
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/>'
        '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr></w:style>"
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W}">'
        + defaults
        + normal
        + "".join(_own_styles(fonts))
        + "</w:styles>"
    )


def _own_styles(fonts: Fonts) -> list[str]:
    keep = "<w:keepNext/>"
    return [
        _style("SanjianTitle", STYLES["title"],
               f'{keep}<w:spacing w:line="{LINE_PITCH}" w:lineRule="exact"/><w:jc w:val="center"/>',
               fonts.title, TITLE_SIZE),
        _style("SanjianSubtitle", STYLES["sub"], f'{keep}<w:jc w:val="center"/>', fonts.body,
               BODY_SIZE),
        _style("SanjianBody", STYLES["body"], _ind(first=2), fonts.body, BODY_SIZE),
        _style("SanjianPlain", STYLES["plain"], "", fonts.body, BODY_SIZE),
        _style("SanjianHeading1", STYLES["h1"],
               f'{keep}{_ind(first=2)}<w:outlineLvl w:val="0"/>', fonts.heading, BODY_SIZE),
        _style("SanjianHeading2", STYLES["h2"],
               f'{keep}{_ind(first=2)}<w:outlineLvl w:val="1"/>', fonts.subheading, BODY_SIZE),
        _style("SanjianNames", STYLES["names"], "", fonts.body, BODY_SIZE),
        _style("SanjianClosing", STYLES["closing"], f'{keep}<w:jc w:val="right"/>', fonts.body,
               BODY_SIZE),
        _style("SanjianTable", STYLES["table"],
               f'{_SINGLE}<w:snapToGrid w:val="0"/><w:jc w:val="center"/>', fonts.body,
               TABLE_SIZE),
        _style("SanjianPageNumber", STYLES["footer"], f"{_SINGLE}<w:snapToGrid w:val=\"0\"/>",
               fonts.page, PAGE_SIZE),
    ]  # fmt: skip


_SECTION = (
    f'<w:sectPr><w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
    f'<w:pgMar w:top="{TOP}" w:right="{RIGHT}" w:bottom="{BOTTOM}" w:left="{LEFT}" '
    f'w:header="851" w:footer="{FOOTER}" w:gutter="0"/><w:cols w:space="425"/>'
    f'<w:docGrid w:type="linesAndChars" w:linePitch="{LINE_PITCH}" w:charSpace="{CHAR_SPACE}"/>'
    "</w:sectPr>"
)


def _package(lang: str, fonts: Fonts) -> bytes:
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{_SECTION}</w:body></w:document>'
    )
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _RELS,
        "docProps/core.xml": _CORE,
        "docProps/app.xml": _APP,
        "word/document.xml": document,
        "word/_rels/document.xml.rels": _DOC_RELS,
        "word/styles.xml": _styles_xml(lang, fonts),
        "word/settings.xml": _SETTINGS.replace("{lang}", "zh-CN" if lang == "zh" else "en-US"),
        "word/fontTable.xml": _font_table(fonts),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            package.writestr(name, text.encode("utf-8"))
    return out.getvalue()


# -- the paper --------------------------------------------------------------------------------
class _Builder:
    def __init__(self, document: Any, paper: Paper, fonts: Fonts) -> None:
        from docx.oxml import parse_xml
        from docx.oxml.ns import qn

        self.document = document
        self.paper = paper
        self.fonts = fonts
        self.qn = qn
        self.parse = parse_xml
        self.body = document.element.body
        self.end = self.body.find(qn("w:sectPr"))

    def _append(self, xml: str) -> None:
        element = self.parse(xml)
        if self.end is not None:
            self.end.addprevious(element)
        else:
            self.body.append(element)

    @staticmethod
    def run(text: str, font: str, size: int) -> str:
        track = f'<w:spacing w:val="{TRACK}"/>' if size == BODY_SIZE else ""
        return (
            f'<w:r><w:rPr>{_fonts_xml(font)}{track}<w:sz w:val="{size}"/>'
            f'<w:szCs w:val="{size}"/></w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
        )

    def para(self, style: str, runs: str, ppr: str = "") -> None:
        props = _ppr(f'<w:pStyle w:val="{self.style_id(style)}"/>', ppr)
        self._append(f'<w:p xmlns:w="{W}"><w:pPr>{props}</w:pPr>{runs}</w:p>')

    def style_id(self, key: str) -> str:
        return STYLES[key].replace(" ", "")

    def text(self, style: str, text: str, font: str, size: int = BODY_SIZE, ppr: str = "") -> None:
        self.para(style, self.run(text, font, size), ppr)

    def add(self, block: Block) -> None:
        f = self.fonts
        one_line = f'<w:spacing w:before="{LINE_PITCH}"/>'
        if isinstance(block, Title):
            after = "" if block.sub else f'<w:spacing w:after="{LINE_PITCH}"/>'
            self.text("title", block.text, f.title, TITLE_SIZE, after)
            if block.sub:
                self.text("sub", block.sub, f.body, ppr=f'<w:spacing w:after="{LINE_PITCH}"/>')
        elif isinstance(block, Fields):
            for _, line in lines_of(self.paper, block):
                self.text("body", line, f.body)
        elif isinstance(block, Heading):
            self.text("h1" if block.level == 1 else "h2", block.text,
                      f.heading if block.level == 1 else f.subheading)  # fmt: skip
        elif isinstance(block, Para):
            space = one_line if block.gap and block.flush else ""
            self.text("plain" if block.flush else "body", block.text, f.body, ppr=space)
        elif isinstance(block, Points):
            for line in marked(self.paper, block):
                self.text("body", line, f.body)
        elif isinstance(block, Names):
            label = block.label + self.paper.sep
            hang = width(label) / 2
            ppr = _ind(left=2 + hang, hanging=hang) + (one_line if block.first else "")
            runs = self.run(label, f.heading, BODY_SIZE) + self.run(block.text, f.body, BODY_SIZE)
            self.para("names", runs, ppr)
        elif isinstance(block, Closing):
            self._closing(block)
        elif isinstance(block, Table):
            self._table(block)

    def _closing(self, block: Closing) -> None:
        """The 落款 of a paper without a seal (GB/T 9704-2012, 7.3.5.2): a line under the
        body, the issuing body two characters from the right, the date under it starting two
        characters further right (the date two from the right if it is the longer). The last
        line of the body goes with it, so the 落款 never stands alone on a page."""
        self._keep_with_next()
        name, date = (width(line) / 2 for line in (block.lines[0], block.lines[-1]))
        date_right = max(2, name - date)
        name_right = date_right + date + 2 - name
        for index, line in enumerate(block.lines):
            right = name_right if index < len(block.lines) - 1 else date_right
            space = f'<w:spacing w:before="{LINE_PITCH}"/>' if index == 0 else ""
            self.text("closing", line, self.fonts.body, ppr=space + _ind(right=right))

    def _keep_with_next(self) -> None:
        previous = self.end.getprevious() if self.end is not None else self.body[-1]
        if previous is None or previous.tag != f"{{{W}}}p":
            return
        props = previous.find(f"{{{W}}}pPr")
        if props is not None and props.find(f"{{{W}}}keepNext") is None:
            keep = self.parse(f'<w:keepNext xmlns:w="{W}"/>')
            style = props.find(f"{{{W}}}pStyle")
            if style is not None:
                style.addnext(keep)
            else:
                props.insert(0, keep)

    def _table(self, table: Table) -> None:
        f = self.fonts
        total = sum(table.columns)
        widths = [TEXT_W * c // total for c in table.columns]
        widths[-1] += TEXT_W - sum(widths)
        border = "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        sid = self.style_id("table")

        def cell(text: str, w: int, font: str, span: int = 1, left: bool = False) -> str:
            merge = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
            jc = '<w:jc w:val="left"/>' if left else ""
            return (
                f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{merge}<w:vAlign w:val="center"/>'
                f'</w:tcPr><w:p><w:pPr><w:pStyle w:val="{sid}"/>{jc}</w:pPr>'
                + (self.run(text, font, TABLE_SIZE) if text else "")
                + "</w:p></w:tc>"
            )

        def row(cells: str, height: int, header: bool = False) -> str:
            head = "<w:tblHeader/>" if header else ""
            return (
                f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{height}" w:hRule="atLeast"/>'
                f"{head}</w:trPr>{cells}</w:tr>"
            )

        header = "".join(cell(h, w, f.heading) for h, w in zip(table.header, widths, strict=True))
        rows = [row(header, 454, True)]
        for entry in table.rows:
            if entry.group:
                rows.append(row(cell(entry.cells[0], TEXT_W, f.subheading, len(widths), True), 340))
            else:
                # 8 mm high: room to sign
                pairs = zip(entry.cells, widths, strict=True)
                rows.append(row("".join(cell(c, w, f.body) for c, w in pairs), 454))
        self._append(
            f'<w:tbl xmlns:w="{W}"><w:tblPr><w:tblW w:w="{TEXT_W}" w:type="dxa"/>'
            f'<w:jc w:val="center"/><w:tblBorders>{border}</w:tblBorders>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
        )
        # A table cannot end a document's body next to the section: Word wants a paragraph.
        self.text("plain", "", f.body, ppr=_SINGLE)


def _page_numbers(document: Any, fonts: Fonts) -> None:
    """The page number, "— 1 —" in 4号 宋体 under the text: odd pages one character from
    the right, even pages one from the left (GB/T 9704-2012, 7.5)."""
    from docx.oxml import parse_xml

    section = document.sections[0]
    one = round(PAGE_SIZE * 10)  # one 14 pt character, in twips
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        element = footer._element
        for child in list(element):
            element.remove(child)
        size = f'<w:sz w:val="{PAGE_SIZE}"/><w:szCs w:val="{PAGE_SIZE}"/>'
        rpr = f"<w:rPr>{_fonts_xml(fonts.page)}{size}</w:rPr>"

        def run(inner: str, rpr: str = rpr) -> str:
            return f"<w:r>{rpr}{inner}</w:r>"

        element.append(
            parse_xml(
                f'<w:p xmlns:w="{W}"><w:pPr><w:pStyle w:val="SanjianPageNumber"/>'
                f'<w:ind w:{side}="{one}"/><w:jc w:val="{side}"/></w:pPr>'
                + run('<w:t xml:space="preserve">— </w:t>')
                + run('<w:fldChar w:fldCharType="begin"/>')
                + run('<w:instrText xml:space="preserve"> PAGE </w:instrText>')
                + run('<w:fldChar w:fldCharType="separate"/>')
                + run("<w:t>1</w:t>")
                + run('<w:fldChar w:fldCharType="end"/>')
                + run('<w:t xml:space="preserve"> —</w:t>')
                + "</w:p>"
            )
        )


def _adopt_styles(document: Any, fonts: Fonts) -> None:
    """An office template keeps its styles; the ones a paper uses are added if missing."""
    from docx.oxml import parse_xml

    styles = document.styles.element
    have = {s.get(f"{{{W}}}styleId") for s in styles.findall(f"{{{W}}}style")}
    for xml in _own_styles(fonts):
        element = parse_xml(xml.replace("<w:style ", f'<w:style xmlns:w="{W}" ', 1))
        if element.get(f"{{{W}}}styleId") not in have:
            styles.append(element)


def _clear(document: Any) -> None:
    """A template's body emptied, its last section (page setup, header, footer) kept."""
    body = document.element.body
    for child in list(body):
        if child.tag != f"{{{W}}}sectPr":
            body.remove(child)


def render(paper: Paper, fonts: Fonts, now: datetime, template: bytes | None = None) -> bytes:
    """`paper` as the bytes of a .docx file."""
    import docx

    if template is None:
        document = docx.Document(io.BytesIO(_package(paper.lang, fonts)))
    else:
        document = docx.Document(io.BytesIO(template))
        _clear(document)
        _adopt_styles(document, fonts)
    builder = _Builder(document, paper, fonts)
    for block in paper.blocks:
        builder.add(block)
    if template is None:
        _page_numbers(document, fonts)
    props = document.core_properties
    moment = now.astimezone(timezone.utc).replace(tzinfo=None)
    props.created = props.modified = moment
    title = next((b.text for b in paper.blocks if isinstance(b, Title)), "")
    props.title = title
    props.author = props.last_modified_by = "sanjian"
    props.language = "zh-CN" if paper.lang == "zh" else "en-US"
    props.revision = 1
    out = io.BytesIO()
    document.save(out)
    return _steady(out.getvalue())


_EPOCH = (1980, 1, 1, 0, 0, 0)


def _steady(data: bytes) -> bytes:
    """The zip rewritten with a fixed time on every entry (python-docx stamps the clock's),
    so the same paper is the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def same_paper(old: bytes, new: bytes) -> bool:
    """Whether two .docx files hold the same paper: every part alike but the dates in
    docProps/core.xml (so `agenda build` by cron leaves an unchanged file alone)."""
    try:
        a, b = zipfile.ZipFile(io.BytesIO(old)), zipfile.ZipFile(io.BytesIO(new))
        names = [i.filename for i in b.infolist()]
        if [i.filename for i in a.infolist()] != names:
            return False
        return all(a.read(n) == b.read(n) for n in names if n != "docProps/core.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
