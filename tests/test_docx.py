"""Word papers (--format docx): opened with python-docx and checked against GB/T 9704-2012
as the issue states it (A4, margins, the 22 × 28 grid, fonts on every run, sizes, page
numbers, the 出席 lines, the 落款, the sign-in table), against the text paper (the same
words), and run to run (the same bytes); then, where LibreOffice is installed, rendered."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from _papers import AFTER, D, build_week, docx_lines, text_lines, write
from _week import Go
from _whole import whole_bytes

docx = pytest.importorskip("docx")
from docx.shared import Mm  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FONTS = {"title": "方正小标宋简体", "body": "仿宋_GB2312", "heading": "黑体",
         "subheading": "楷体_GB2312", "page": "宋体"}  # fmt: skip

# every paper command, as (name, arguments): the docx is written with --output
PAPERS = {
    "record": ("minutes", D),
    "official": ("minutes", D, "--layout", "official"),
    "english": ("minutes", D, "--layout", "official", "--lang", "en"),
    "agenda": ("agenda", "build", "--next"),
    "notice": ("notice",),
    "publish": ("publish", D),
    "signin": ("signin-sheet", "2026-12-02"),
    "summary": ("report", "summary", "--year", "2026"),
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    go = Go(tmp_path_factory.mktemp("docx") / "store.json")
    build_week(go)
    go("meeting", "plan", "2026-12-02", "--recorder", "李秀兰", now=AFTER)
    return whole_bytes(go.path)


@pytest.fixture
def week(template: bytes, db: Path, run):  # noqa: ANN001, ANN201
    db.write_bytes(template)
    return run


@pytest.fixture(scope="module")
def papers(template: bytes, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Each paper as .docx and as text, made once: {name: docx bytes, name + ".txt": text}."""
    folder = tmp_path_factory.mktemp("papers")
    out: dict[str, bytes] = {}
    for name, args in PAPERS.items():
        store = folder / f"{name}.json"
        store.write_bytes(template)  # agenda build changes its store: each its own copy
        go = Go(store, now=AFTER)
        go(*args, "--format", "docx", "--output", str(folder / f"{name}.docx"))
        out[name] = (folder / f"{name}.docx").read_bytes()
        store.write_bytes(template)
        out[name + ".txt"] = go(*args).stdout.encode("utf-8")
    return out


def _open(data: bytes):  # noqa: ANN202
    return docx.Document(io.BytesIO(data))


def _runs(data: bytes) -> list:
    """Every run of the body, the headers and the footers."""
    document = _open(data)
    found = list(document.element.body.iter(f"{W}r"))
    for section in document.sections:
        for part in (section.footer, section.even_page_footer, section.header):
            if not part.is_linked_to_previous:
                found += list(part._element.iter(f"{W}r"))
    return found


def _font(run) -> str | None:  # noqa: ANN001
    fonts = run.find(f"{W}rPr/{W}rFonts")
    return None if fonts is None else fonts.get(f"{W}eastAsia")


def _size(run) -> int | None:  # noqa: ANN001
    size = run.find(f"{W}rPr/{W}sz")
    return None if size is None else int(size.get(f"{W}val"))


def _style(paragraph) -> str:  # noqa: ANN001
    return paragraph.style.name if paragraph.style is not None else ""


# -- the page ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(PAPERS))
def test_page_is_a4_with_the_gbt_margins_and_grid(papers, name: str) -> None:
    section = _open(papers[name]).sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1)
    assert abs(section.page_height - Mm(297)) < Mm(0.1)
    for side, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert abs(getattr(section, f"{side}_margin") - Mm(mm)) < Mm(0.1), side
    grid = section._sectPr.find(f"{W}docGrid")
    assert grid.get(f"{W}type") == "linesAndChars"
    pitch, space = int(grid.get(f"{W}linePitch")), int(grid.get(f"{W}charSpace"))
    height = (section.page_height - section.top_margin - section.bottom_margin) / 635  # twips
    width = (section.page_width - section.left_margin - section.right_margin) / 635
    assert int(height // pitch) == 22
    assert int(width // ((16 + space / 4096) * 20)) == 28  # 3号 characters at the grid's pitch


@pytest.mark.parametrize("name", list(PAPERS))
def test_every_run_names_its_east_asian_font_and_its_size(papers, name: str) -> None:
    runs = _runs(papers[name])
    assert runs
    for run in runs:
        fonts = run.find(f"{W}rPr/{W}rFonts")
        assert fonts is not None, name
        east = fonts.get(f"{W}eastAsia")
        assert east in FONTS.values(), east
        # quotes, dashes and ellipses take the Chinese font: every slot holds it
        assert fonts.get(f"{W}ascii") == fonts.get(f"{W}hAnsi") == east
        assert fonts.get(f"{W}hint") == "eastAsia"
        assert _size(run) is not None


@pytest.mark.parametrize("name", ["record", "notice"])
def test_no_theme_fonts_and_the_language_is_chinese(papers, name: str) -> None:
    package = zipfile.ZipFile(io.BytesIO(papers[name]))
    assert not [n for n in package.namelist() if "theme" in n]
    styles = package.read("word/styles.xml").decode("utf-8")
    assert "Theme" not in styles  # no asciiTheme / eastAsiaTheme anywhere
    assert 'w:eastAsia="zh-CN"' in styles and 'w:val="zh-CN"' in styles
    assert "ja-JP" not in package.read("word/settings.xml").decode("utf-8")
    assert _open(papers[name]).core_properties.language == "zh-CN"


def test_sizes_and_fonts_follow_the_role_of_each_line(papers) -> None:
    document = _open(papers["official"])
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    title = paragraphs[0]
    assert title.text == "幸福里社区三工联席会议纪要"
    assert {(_font(r), _size(r)) for r in title._p.iter(f"{W}r")} == {(FONTS["title"], 44)}
    by_style: dict[str, set] = {}
    for p in paragraphs[1:]:
        for r in p._p.iter(f"{W}r"):
            by_style.setdefault(_style(p), set()).add((_font(r), _size(r)))
    assert by_style["Sanjian Heading 1"] == {(FONTS["heading"], 32)}  # 一、 in 黑体, 3号
    assert by_style["Sanjian Heading 2"] == {(FONTS["subheading"], 32)}  # （一） in 楷体
    assert by_style["Sanjian Body"] == {(FONTS["body"], 32)}  # 3号 仿宋
    heads = [p.text for p in paragraphs if _style(p) == "Sanjian Heading 1"]
    assert heads[0].startswith("一、审议上次会议") and "议定事项" in heads
    assert all(p.text.startswith("（") for p in paragraphs if _style(p) == "Sanjian Heading 2")


def test_attendance_lines_hang_after_the_colon(papers) -> None:
    document = _open(papers["official"])
    names = [p for p in document.paragraphs if _style(p) == "Sanjian Names"]
    assert [p.text.split("：")[0] for p in names] == ["出席", "请假", "缺席", "列席"]
    for p in names:
        label, people = list(p._p.iter(f"{W}r"))
        assert (_font(label), _font(people)) == (FONTS["heading"], FONTS["body"])
        ind = p._p.find(f"{W}pPr/{W}ind")
        # two characters in from the margin, continued three characters further on: under
        # the first name, after 出席：
        assert ind.get(f"{W}hangingChars") == "300" and ind.get(f"{W}leftChars") == "500"
    # the record layout keeps them after the header, labelled 实到
    record = _open(papers["record"])
    first = next(p for p in record.paragraphs if _style(p) == "Sanjian Names")
    assert first.text.startswith("实到：")


@pytest.mark.parametrize("name", ["official", "notice"])
def test_page_numbers_are_fields_odd_right_even_left(papers, name: str) -> None:
    document = _open(papers[name])
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        (paragraph,) = footer.paragraphs
        assert paragraph._p.find(f"{W}pPr/{W}jc").get(f"{W}val") == side
        xml = paragraph._p.xml
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert " PAGE " in "".join(t.text for t in paragraph._p.iter(f"{W}instrText"))
        assert paragraph.text == "— 1 —"  # the dashes, and the field's cached number
        assert {(_font(r), _size(r)) for r in paragraph._p.iter(f"{W}r")} == {(FONTS["page"], 28)}


def test_the_signin_sheet_is_a_table_with_widths_everywhere(papers) -> None:
    document = _open(papers["signin"])
    (table,) = document.tables
    tbl = table._tbl
    assert tbl.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
    grid = [int(c.get(f"{W}w")) for c in tbl.iter(f"{W}gridCol")]
    assert len(grid) == 5 and all(grid)
    section = document.sections[0]
    assert sum(grid) == round((section.page_width - section.left_margin - section.right_margin)
                              / 635)  # fmt: skip
    for row in tbl.iter(f"{W}tr"):
        cells = list(row.iter(f"{W}tc"))
        widths = [int(c.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) for c in cells]
        assert sum(widths) == sum(grid)  # a group's row spans the five columns
    header = [c.text for c in table.rows[0].cells]
    assert header == ["序号", "姓名", "单位", "签名", "备注"]
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None  # repeated per page
    # its own line spacing, not the body's fixed 28.95 pt, and off the grid
    style = document.styles["Sanjian Table"]
    spacing = style.element.find(f"{W}pPr/{W}spacing")
    assert spacing.get(f"{W}lineRule") == "auto" and spacing.get(f"{W}line") == "240"
    cell = table.rows[2].cells[1].paragraphs[0]
    assert _style(cell) == "Sanjian Table" and cell.text == "张建国"


@pytest.mark.parametrize("name", ["notice", "publish"])
def test_notice_and_public_notice_end_with_the_committee_and_the_date(papers, name) -> None:
    document = _open(papers[name])
    lines = [p for p in document.paragraphs if p.text.strip()]
    assert [p.text for p in lines[-2:]] == ["幸福里社区三工联席会议", "2026年11月26日"]
    for p in lines[-2:]:
        assert p._p.find(f"{W}pPr/{W}jc") is None  # the style's: right-aligned
        assert _style(p) == "Sanjian Closing"
    name_ind, date_ind = (
        int(p._p.find(f"{W}pPr/{W}ind").get(f"{W}rightChars")) for p in lines[-2:]
    )
    assert name_ind == 200  # the body two characters from the right
    # the date under it, its first character two characters right of the body's first
    assert date_ind == name_ind + (11 - 7) * 100 - 200
    # the last line of the text goes with it to a new page
    assert lines[-3]._p.find(f"{W}pPr/{W}keepNext") is not None


# -- the words ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(PAPERS))
def test_the_docx_says_what_the_text_paper_says(papers, name: str) -> None:
    text = text_lines(papers[name + ".txt"].decode("utf-8"))
    words = docx_lines(papers[name])
    if name == "signin":
        # the text sheet draws lines to write on; the Word sheet has its cells
        text = [" ".join(line.replace("_", "").split()) for line in text]
        words = [" ".join(line.replace("_", "").split()) for line in words]
    assert words == text


def test_the_same_paper_is_the_same_bytes(week, tmp_path: Path) -> None:
    first, second = tmp_path / "1.docx", tmp_path / "2.docx"
    write(week, first, "minutes", D, "--format", "docx")
    write(week, second, "minutes", D, "--format", "docx")
    assert first.read_bytes() == second.read_bytes()
    props = _open(first.read_bytes()).core_properties
    # dated by SANJIAN_NOW (09:00 in Shanghai), never the real clock
    assert props.created.isoformat() == props.modified.isoformat() == "2026-11-26T01:00:00+00:00"
    later = tmp_path / "3.docx"
    write(week, later, "minutes", D, "--format", "docx", now="2026-12-01T09:00:00+08:00")
    assert later.read_bytes() != first.read_bytes()
    assert docx_lines(later.read_bytes()) == docx_lines(first.read_bytes())


def test_cron_leaves_an_unchanged_agenda_file_alone(week, tmp_path: Path) -> None:
    target = tmp_path / "议程.docx"
    built = write(week, target, "agenda", "build", "--next", "-f", "docx")
    assert "已生成" in built.stderr
    before = target.stat().st_mtime_ns
    again = write(week, target, "agenda", "build", "--next", "-f", "docx",
                  now="2026-11-26T10:00:00+08:00")  # fmt: skip
    assert "已是最新" in again.stderr and target.stat().st_mtime_ns == before


# -- fonts that lack a name's characters ---------------------------------------------------------
def test_a_gb2312_font_missing_a_name_is_said_once(week, tmp_path: Path) -> None:
    week("member", "add", "张喆", "--side", "志愿者", "--joined", "2026-01-01")
    week("member", "add", "王堃", "--side", "社工", "--joined", "2026-01-01")
    result = write(week, tmp_path / "s.docx", "signin-sheet", "2026-12-02", "-f", "docx")
    warning = [line for line in result.stderr.splitlines() if "GB2312" in line]
    assert len(warning) == 1, result.stderr
    assert "喆" in warning[0] and "堃" in warning[0] and "仿宋_GB2312" in warning[0]
    # the names are still written, in the font chosen
    assert "张喆" in "".join(docx_lines((tmp_path / "s.docx").read_bytes()))
    for key, font in (("docx-body-font", "仿宋"), ("docx-subheading-font", "楷体")):
        week("config", "set", key, font)
    quiet = write(week, tmp_path / "t.docx", "signin-sheet", "2026-12-02", "-f", "docx")
    assert "GB2312" not in quiet.stderr
    fonts = {_font(r) for r in _runs((tmp_path / "t.docx").read_bytes())}
    assert "仿宋" in fonts and "仿宋_GB2312" not in fonts


def test_a_bad_font_name_is_refused(week, unchanged) -> None:
    check = unchanged()
    result = week("config", "set", "docx-body-font", "  ", ok=False)
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    check()


# -- refusals -------------------------------------------------------------------------------------
@pytest.mark.parametrize("args", list(PAPERS.values()), ids=list(PAPERS))
def test_docx_needs_an_output_file(week, unchanged, args) -> None:
    check = unchanged()
    result = week(*args, "--format", "docx", ok=False)
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line in (
        "sanjian: --format docx 要写入文件：请加 --output 文件名.docx",
        "sanjian: --format docx writes a file: add --output FILE.docx",  # --lang en
    )
    check()


def test_template_goes_with_docx_and_must_be_word(week, unchanged, tmp_path: Path) -> None:
    check = unchanged()
    result = week("minutes", D, "--template", str(tmp_path / "x.docx"), ok=False)
    assert result.exit_code == 2 and "--template" in result.stderr
    (tmp_path / "not.docx").write_text("纪要", encoding="utf-8")
    for bad in (tmp_path / "not.docx", tmp_path / "missing.docx"):
        result = week("minutes", D, "-f", "docx", "-o", str(tmp_path / "m.docx"),
                      "--template", str(bad), ok=False)  # fmt: skip
        assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1, result.stderr
        assert str(bad) in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "m.docx").exists()
    check()


def test_an_office_template_keeps_its_page_header_and_styles(week, tmp_path: Path) -> None:
    office = docx.Document()
    section = office.sections[0]
    section.top_margin = section.bottom_margin = Mm(25)
    section.header.paragraphs[0].text = "幸福里社区党委办公室"
    office.add_paragraph("上个月的纪要，应被替换")
    base = tmp_path / "模板.docx"
    office.save(str(base))
    out = tmp_path / "纪要.docx"
    week("minutes", D, "--layout", "official", "-f", "docx", "-o", str(out), "--template",
         str(base), now=AFTER)  # fmt: skip
    made = _open(out.read_bytes())
    assert abs(made.sections[0].top_margin - Mm(25)) < Mm(0.1)  # its page setup
    assert made.sections[0].header.paragraphs[0].text == "幸福里社区党委办公室"  # its header
    text = docx_lines(out.read_bytes())
    assert "上个月的纪要，应被替换" not in text and text[0] == "幸福里社区三工联席会议纪要"
    assert "Normal" in [s.name for s in made.styles]  # its own styles stay
    assert "Sanjian Body" in [s.name for s in made.styles]  # ours added beside them
    assert {_font(r) for r in made.element.body.iter(f"{W}r")} <= set(FONTS.values())


# -- rendered ----------------------------------------------------------------------------------
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.skipif(
    SOFFICE is None or PDFTOTEXT is None,
    reason="needs LibreOffice (soffice) and poppler-utils (pdftotext) to render the .docx",
)
def test_libreoffice_renders_the_minutes_on_the_grid(papers, tmp_path: Path) -> None:
    import os

    source = tmp_path / "minutes.docx"
    source.write_bytes(papers["official"])
    profile = tmp_path / "profile"
    # a locale the machine has, or LibreOffice cannot read a file's name
    env = {**os.environ, "LANG": "C.UTF-8"}
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180, env=env,
    )  # fmt: skip
    pdf = tmp_path / "minutes.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    # 22 lines a page: the text paper's lines, some wrapping, fill three to five pages
    assert 3 <= pages <= 5, pages
    text = subprocess.run([PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True).stdout
    flat = "".join(text.split())
    for line in ("幸福里社区三工联席会议纪要", "一、审议上次会议（2026年11月18日）纪要",
                 "出席：张建国", "散会：20:35", "—1—", f"—{pages}—"):  # fmt: skip
        assert "".join(line.split()) in flat, line
    # no line holds more than 28 characters of the grid, and full lines reach it
    widths = [sum(1 if ord(c) > 0x2E7F else 0.5 for c in line if not c.isspace())
              for line in text.splitlines()]  # fmt: skip
    assert max(widths) <= 28.5 and max(widths) >= 26
