"""`member import` and `member export`: rosters from .xlsx, .xls, .ods and .csv, as one change.

Fixtures are made here: .xlsx with openpyxl, a real Excel 97 .xls with xlwt, an .ods by hand
(its XML is small), CSV in UTF-8, UTF-8 with a BOM and GB18030. The `committee` fixture's
roster: 1 张建国 (政工, lead), 2 李秀兰, 3 王志强 (政工), 4 陈静 (社工, lead), 5 刘洋, 6 赵敏
(社工), 7 孙丽华 (志愿者, lead), 8 周大伟, 9 吴晓梅 (志愿者), 10 黄立新 (政工, 列席, 街道办).
"""

from __future__ import annotations

import json
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from _week import data, refused

HEAD = "序号 姓名 类别 是否主要负责人 表决权 工作单位 联系电话 加入时间 备注".split()


def members(run) -> dict[str, dict]:
    return {m["name"]: m for m in data(run("member", "list", "--all", "--format", "json"))}


TITLE = "幸福里社区三工联席会议成员花名册"


def write_xlsx(path: Path, rows: list[list], title: str | None = TITLE) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_xls(path: Path, rows: list[list], title: str | None = None) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("成员名单")
    dated = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    offset = 0
    if title:
        sheet.write_merge(0, 0, 0, len(rows[0]) - 1, title)
        offset = 1
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, date):
                sheet.write(r + offset, c, value, dated)
            else:
                sheet.write(r + offset, c, value)
    book.save(str(path))
    return path


def write_ods(path: Path, rows: list[list[str]]) -> Path:
    """A minimal OpenDocument spreadsheet (what LibreOffice saves, cut to the bone)."""
    from xml.sax.saxutils import escape

    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    body = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p>'
            "</table:table-cell>"
            for v in row
        )
        + "</table:table-row>"
        for row in rows
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="成员">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return path


def csv_file(path: Path, rows: list[list[str]], encoding: str) -> Path:
    text = "".join(",".join(row) + "\r\n" for row in rows)
    path.write_bytes(text.encode(encoding))
    return path


# -- the formats ------------------------------------------------------------------------------
def test_xlsx_with_a_title_row_chinese_headers_real_dates_and_numbers(committee, tmp_path) -> None:
    sheet = write_xlsx(
        tmp_path / "花名册.xlsx",
        [
            HEAD,
            [1, "钱多多", "志愿者", "否", "有", "阳光志愿队", 13912345678, date(2025, 3, 1), ""],
            [2, "郑红", "社工", None, "列席", None, "010-66668888", "2025/4/2", "新来"],
            [3, "刘洋", None, None, None, "阳光社工站", None, None, None],
            [4, None, None, None, None, None, None, None, None],  # the form's numbered blank rows
            [5, None, None, None, None, None, None, None, "填表人：李秀兰"],
        ],
    )
    result = committee("member", "import", str(sheet))
    assert "新增 2 人，更新 1 人，0 人无变化" in result.stderr
    roster = members(committee)
    qian = roster["钱多多"]
    assert (qian["side"], qian["lead"], qian["voting"]) == ("volunteer", False, True)
    assert qian["phone"] == "13912345678"  # a number cell, not 13912345678.0
    assert qian["joined"] == "2025-03-01" and qian["org"] == "阳光志愿队"
    zheng = roster["郑红"]
    assert (zheng["side"], zheng["voting"]) == ("social-worker", False)
    assert zheng["joined"] == "2025-04-02"
    assert zheng["phone"] == "010-66668888"
    liu = roster["刘洋"]  # matched by name: updated, blank cells kept
    assert liu["id"] == 5 and liu["org"] == "阳光社工站" and liu["side"] == "social-worker"
    assert len(roster) == 12


def test_a_real_xls_of_200_rows_from_a_community_office_imports_in_one_step(
    committee, tmp_path, db
) -> None:
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = ("建华", "秀英", "志明", "丽娟", "海涛", "春梅", "国强", "晓燕", "文军", "玉兰")
    sides = ("政工", "社工", "志愿者")
    rows = [HEAD]
    for n in range(200):
        name = surnames[n % 20] + given[n // 20]
        rows.append(
            [
                n + 1,
                name,
                sides[n % 3],
                "否",
                "无" if n % 25 == 0 else "有",
                f"幸福里第{n % 7 + 1}网格",
                13800000000.0 + n,  # Excel keeps phones typed as numbers as floats
                # half real date cells, half dates typed as text
                date(2024, 1 + n % 12, 1 + n % 28)
                if n % 2
                else f"2024年{1 + n % 12}月{1 + n % 28}日",
                "",
            ]
        )
    sheet = write_xls(tmp_path / "社区成员花名册.xls", rows, title=TITLE)
    assert sheet.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # OLE2: a real .xls
    preview = committee("member", "import", str(sheet), "--dry-run")
    assert "工作表“成员名单”，表头在第 2 行" in preview.stdout
    assert "未使用的列：序号、备注" in preview.stdout
    assert "新增 200 人，更新 0 人，无变化 0 人，有问题 0 行" in preview.stdout
    before = db.read_bytes()
    log = db.with_name(db.name + ".log.jsonl")
    logged = len(log.read_text(encoding="utf-8").splitlines())
    done = committee("member", "import", str(sheet))
    assert "新增 200 人" in done.stderr
    roster = members(committee)
    assert len(roster) == 210
    first = roster["王建华"]  # row 3 of the sheet: n = 0
    assert (first["side"], first["voting"], first["phone"]) == ("cadre", False, "13800000000")
    assert first["joined"] == "2024-01-01" and first["org"] == "幸福里第1网格"
    second = roster["李建华"]  # n = 1: a real date cell
    assert (second["side"], second["voting"]) == ("social-worker", True)
    assert second["joined"] == "2024-02-02"
    # One change: one entry in the audit log.
    entries = log.read_text(encoding="utf-8").splitlines()
    assert len(entries) == logged + 1
    assert json.loads(entries[-1])["command"][1:3] == ["member", "import"]
    assert before != db.read_bytes()
    again = db.read_bytes()
    committee("member", "import", str(sheet))
    assert db.read_bytes() == again  # run twice: nobody added twice, nothing written


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_the_three_encodings_excel_writes(committee, tmp_path, encoding) -> None:
    rows = [
        ["姓名", "方面", "主要负责人", "列席", "单位", "电话", "加入日期"],
        ["曾志伟", "政工", "否", "否", "社区居委会", "13700000001", "2026-02-01"],
        ["单丽", "志愿者", "", "是", "", "", "2026.3.5"],
    ]
    sheet = csv_file(tmp_path / "roster.csv", rows, encoding)
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            sheet.read_bytes().decode("utf-8")
    committee("member", "import", str(sheet))
    roster = members(committee)
    assert roster["曾志伟"]["org"] == "社区居委会" and roster["曾志伟"]["voting"] is True
    assert roster["单丽"]["voting"] is False and roster["单丽"]["joined"] == "2026-03-05"
    assert roster["单丽"]["side"] == "volunteer"


def test_excels_unicode_text_is_utf16_with_tabs(committee, tmp_path) -> None:
    text = "姓名\t方面\t电话\r\n曾志伟\t政工\t13700000001\r\n"
    sheet = tmp_path / "roster.txt"
    sheet.write_bytes(text.encode("utf-16"))  # with its byte-order mark, as Excel saves it
    committee("member", "import", str(sheet))
    assert members(committee)["曾志伟"]["phone"] == "13700000001"


def test_english_headers_and_values(committee, tmp_path) -> None:
    rows = [
        ["Name", "Side", "Lead", "Voting", "Organisation", "Phone", "Joined"],
        ["Anna Li", "social worker", "no", "yes", "Sunshine", "13600000000", "2026-05-06"],
        ["Bo Wang", "cadre", "false", "no", "", "", ""],
    ]
    committee("member", "import", str(csv_file(tmp_path / "en.csv", rows, "utf-8")))
    roster = members(committee)
    assert roster["Anna Li"]["side"] == "social-worker" and roster["Anna Li"]["org"] == "Sunshine"
    assert roster["Bo Wang"]["voting"] is False
    assert roster["Bo Wang"]["joined"] == "2026-11-23"  # blank: today, as member add


def test_ods(committee, tmp_path) -> None:
    sheet = write_ods(
        tmp_path / "成员.ods",
        [["姓名", "方面", "电话"], ["冯雪", "社工", "13500000000"], ["刘洋", "", "13500000009"]],
    )
    result = committee("member", "import", str(sheet))
    assert "新增 1 人，更新 1 人" in result.stderr
    roster = members(committee)
    assert roster["冯雪"]["side"] == "social-worker"
    assert roster["刘洋"]["phone"] == "13500000009"


# -- all or nothing ---------------------------------------------------------------------------
BAD = [
    HEAD,
    [1, "钱多多", "志愿者", "否", "有", "", "", "2025-01-01", ""],  # row 3: fine
    [2, "冯雪", "义工", "否", "有", "", "", "", ""],  # row 4: unknown side
    [3, "", "社工", "否", "有", "", "", "", "有单位无姓名"],  # row 5: empty name
    [4, "郑红", "社工", "否", "有", "", "", "2025-02-30", ""],  # row 6: no such day
    [5, "何平", "政工", "是", "有", "", "", "", ""],  # row 7: 政工 has 张建国 as lead
    [6, "罗兰", "志愿者", "否", "有", "", "", "", ""],  # row 8: fine
    [7, "高山", "社工", "否", "有", "", "", "", ""],  # row 9: fine
    [8, "林木", "志愿者", "否", "maybe", "", "", "", ""],  # row 10: not yes or no
]


def test_bad_rows_refuse_the_whole_import_each_named_by_its_row(committee, tmp_path, db) -> None:
    sheet = write_xlsx(tmp_path / "bad.xlsx", BAD)
    before = db.read_bytes()
    result = committee("member", "import", str(sheet), ok=False)
    assert result.exit_code == 1
    assert db.read_bytes() == before
    lines = result.stderr.splitlines()
    assert lines[-1].startswith("sanjian: 导入未执行：5 行有问题")
    assert lines[:-1] == [
        "第 4 行（冯雪）：方面不对：义工（可填：政工、社工、志愿者）",
        "第 5 行：名称不能为空",
        "第 6 行（郑红）：加入日期不对：2025-02-30"
        "（应为日期，如 2026-01-05、2026/1/5 或 2026年1月5日）",
        "第 7 行（何平）：政工已有主要负责人 张建国（#1）；先用 member edit 1 --no-lead 卸任",
        "第 10 行（林木）：“表决权”应填“是”或“否”，不是“maybe”",
    ]
    assert "Traceback" not in result.stderr + result.stdout
    assert len(members(committee)) == 10


def test_two_leads_for_one_side_in_the_sheet(committee, tmp_path, unchanged) -> None:
    rows = [
        ["姓名", "方面", "主要负责人"],
        ["孙丽华", "志愿者", "否"],  # the volunteers' lead steps down ...
        ["罗兰", "志愿者", "是"],  # ... and a new one takes over: fine, in one change
        ["高山", "志愿者", "是"],  # a second new lead for the same side: refused
    ]
    sheet = csv_file(tmp_path / "leads.csv", rows, "utf-8")
    check = unchanged()
    result = committee("member", "import", str(sheet), ok=False)
    assert result.exit_code == 1
    check()
    assert result.stderr.splitlines()[0] == (
        "第 4 行（高山）：第 3 行的 罗兰 已是志愿者主要负责人；每方只有一名主要负责人"
    )
    rows.pop()
    committee("member", "import", str(csv_file(tmp_path / "leads.csv", rows, "utf-8")))
    roster = members(committee)
    assert roster["罗兰"]["lead"] is True and roster["孙丽华"]["lead"] is False
    # The lead already on the roster, named in the sheet: the refusal names that row too.
    rows = [["姓名", "方面", "主要负责人"], ["何平", "政工", "是"], ["张建国", "政工", "是"]]
    result = committee(
        "member", "import", str(csv_file(tmp_path / "l2.csv", rows, "utf-8")), ok=False
    )
    assert result.stderr.splitlines()[0] == (
        "第 2 行（何平）：第 3 行的 张建国 已是政工主要负责人；每方只有一名主要负责人"
    )


def test_skip_bad_imports_the_good_rows_and_names_the_rest(committee, tmp_path) -> None:
    sheet = write_xlsx(tmp_path / "bad.xlsx", BAD)
    result = committee("member", "import", str(sheet), "--skip-bad")
    assert result.exit_code == 0
    assert "第 4 行（冯雪）" in result.stderr and "跳过有问题的 5 行" in result.stderr
    roster = members(committee)
    assert {"钱多多", "罗兰", "高山"} <= set(roster)
    assert not {"冯雪", "郑红", "何平", "林木"} & set(roster)


def test_dry_run_changes_nothing_and_shows_every_row(committee, tmp_path, db) -> None:
    sheet = write_xlsx(tmp_path / "bad.xlsx", BAD)
    before = db.read_bytes()
    log = db.with_name(db.name + ".log.jsonl")
    log_before = log.read_bytes()
    result = committee("member", "import", str(sheet), "--dry-run", ok=False)
    assert result.exit_code == 1  # as the import itself would be
    assert "照此导入将被拒绝" in result.stderr
    assert "新增 3 人，更新 0 人，无变化 0 人，有问题 5 行" in result.stdout
    assert "方面不对：义工" in result.stdout
    args = ("member", "import", str(sheet), "--dry-run", "--format", "json")
    plan = data(committee(*args, ok=False))
    assert plan["counts"] == {"add": 3, "update": 0, "same": 0, "refused": 5}
    assert plan["applied"] is False and plan["header_row"] == 2
    assert plan["columns"]["side"] == "类别" and plan["ignored"] == ["序号", "备注"]
    rows = {r["row"]: r for r in plan["rows"]}
    assert rows[3]["action"] == "add" and rows[3]["member"]["joined"] == "2025-01-01"
    assert rows[3]["id"] == 11  # the id it would get
    assert rows[7]["action"] == "refused" and "张建国" in rows[7]["reason"]
    good = write_xlsx(tmp_path / "good.xlsx", [HEAD, BAD[1]])
    committee("member", "import", str(good), "--dry-run")
    assert db.read_bytes() == before and log.read_bytes() == log_before


# -- matching ---------------------------------------------------------------------------------
def test_an_existing_member_is_updated_never_duplicated(committee, tmp_path, db) -> None:
    rows = [
        ["姓名", "方面", "表决权", "单位", "电话"],
        ["黄立新", "政工", "是", "街道办事处", "13900000010"],  # 列席 -> voting, new org
        ["周大伟", "", "", "", "13900000008"],
    ]
    sheet = csv_file(tmp_path / "update.csv", rows, "utf-8-sig")
    plan = data(committee("member", "import", str(sheet), "--format", "json"))
    assert plan["counts"] == {"add": 0, "update": 2, "same": 0, "refused": 0}
    assert plan["rows"][0]["changes"] == {
        "voting": {"from": False, "to": True},
        "org": {"from": "街道办", "to": "街道办事处"},
        "phone": {"from": None, "to": "13900000010"},
    }
    roster = members(committee)
    assert len(roster) == 10
    assert roster["黄立新"]["voting"] is True and roster["黄立新"]["id"] == 10
    assert roster["周大伟"]["phone"] == "13900000008" and roster["周大伟"]["side"] == "volunteer"
    before = db.read_bytes()
    again = data(committee("member", "import", str(sheet), "--format", "json"))
    assert again["counts"]["same"] == 2 and db.read_bytes() == before


def test_names_that_repeat_are_told_apart_by_phone(committee, tmp_path) -> None:
    committee("member", "add", "王芳", "--side", "志愿者", "--phone", "13000000001")
    committee("member", "add", "王芳", "--side", "社工", "--phone", "13000000002", "--same-name")
    rows = [
        ["姓名", "方面", "单位", "电话"],
        ["王芳", "", "第二网格", "130 0000 0002"],  # the social worker, spaces and all
        ["王芳", "志愿者", "", "13000000003"],  # a third 王芳: added
    ]
    committee("member", "import", str(csv_file(tmp_path / "wang.csv", rows, "utf-8")))
    listed = data(committee("member", "list", "--format", "json"))
    assert len(listed) == 13
    wangs = [m for m in listed if m["name"] == "王芳"]
    assert [(m["side"], m["org"], m["phone"]) for m in wangs] == [
        ("volunteer", None, "13000000001"),
        ("social-worker", "第二网格", "13000000002"),
        ("volunteer", None, "13000000003"),
    ]
    rows = [["姓名", "方面", "单位"], ["王芳", "", "第三网格"]]
    sheet = csv_file(tmp_path / "w2.csv", rows, "utf-8")
    result = committee("member", "import", str(sheet), ok=False)
    assert result.stderr.splitlines()[0] == "第 2 行（王芳）：有多名“王芳”，请填写电话以区分"


def test_the_same_person_twice_in_a_sheet(committee, tmp_path) -> None:
    rows = [["姓名", "方面"], ["罗兰", "志愿者"], ["罗兰", "志愿者"]]
    result = committee(
        "member", "import", str(csv_file(tmp_path / "twice.csv", rows, "utf-8")), ok=False
    )
    assert result.stderr.splitlines()[:2] == [
        "第 2 行（罗兰）：有多名“罗兰”，请填写电话以区分",
        "第 3 行（罗兰）：与第 2 行是同一人",
    ]


# -- export, and its round trip ----------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_export_imports_back_as_a_no_op(committee, tmp_path, db, fmt, lang) -> None:
    committee("member", "edit", "刘洋", "--phone", "13800000005", "--org", "=阳光社工站")
    committee("member", "retire", "吴晓梅", "--date", "2026-06-30")
    out = tmp_path / f"roster.{fmt}"
    committee("--lang", lang, "member", "export", "--format", fmt, "--output", str(out))
    before = db.read_bytes()
    plan = data(committee("member", "import", str(out), "--format", "json"))
    assert plan["counts"] == {"add": 0, "update": 0, "same": 9, "refused": 0}
    assert db.read_bytes() == before
    assert "吴晓梅" not in {r["name"] for r in plan["rows"]}  # gone: not exported


def test_export_csv_columns_and_xlsx_types(committee, tmp_path) -> None:
    committee("member", "edit", "刘洋", "--phone", "013800000005")
    text = committee("member", "export").stdout_bytes.decode("utf-8")
    assert text.startswith("\ufeff姓名,方面,主要负责人,表决权,单位,电话,加入日期\r\n")
    assert "黄立新,政工,否,否,街道办,,2026-01-01\r\n" in text
    out = tmp_path / "名单.xlsx"
    committee("member", "export", "-o", str(out))  # the format follows the suffix
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    assert sheet.title == "成员名单" and sheet.freeze_panes == "A2"
    liu = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "刘洋")
    assert liu[5].value == "013800000005" and liu[5].data_type == "s"  # the leading 0 kept
    assert liu[6].value == datetime(2026, 1, 1) and liu[6].number_format == "yyyy-mm-dd"


def test_export_xlsx_needs_an_output_file(committee, unchanged) -> None:
    line = refused(committee, unchanged, "member", "export", "--format", "xlsx", code=2)
    assert "--output" in line


# -- files that cannot be imported -------------------------------------------------------------
def test_files_that_cannot_be_read_are_refused_in_one_line(committee, tmp_path, unchanged) -> None:
    (tmp_path / "roster.docx").write_bytes(b"PK")
    line = refused(committee, unchanged, "member", "import", str(tmp_path / "roster.docx"), code=2)
    assert "不支持 .docx 文件" in line
    line = refused(committee, unchanged, "member", "import", str(tmp_path / "none.xlsx"), code=2)
    assert "文件不存在" in line
    (tmp_path / "broken.xls").write_bytes(b"not a workbook")
    line = refused(committee, unchanged, "member", "import", str(tmp_path / "broken.xls"), code=2)
    assert "无法读取表格" in line
    headless = csv_file(tmp_path / "h.csv", [["序号", "备注"], ["1", "x"]], "utf-8")
    line = refused(committee, unchanged, "member", "import", str(headless), code=2)
    assert "找不到“姓名”列" in line
    twice = csv_file(tmp_path / "t.csv", [["姓名", "电话", "手机"], ["罗兰", "1", "2"]], "utf-8")
    line = refused(committee, unchanged, "member", "import", str(twice), code=2)
    assert "“电话”和“手机”两列表示同一项" in line
    empty = csv_file(tmp_path / "e.csv", [["姓名", "方面"]], "utf-8")
    line = refused(committee, unchanged, "member", "import", str(empty), code=2)
    assert "没有成员行" in line
