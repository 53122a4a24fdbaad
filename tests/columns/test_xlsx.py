"""columns.xlsx, the one way exports are written: text that Excel would run as a formula
stays literal, times are Beijing time, and a Chinese filename reaches the browser."""

from datetime import UTC, date, datetime
from io import BytesIO
from urllib.parse import unquote

from openpyxl import load_workbook

from columns import xlsx


def written(headers, rows, title="栏目"):
    workbook = xlsx.Workbook()
    workbook.table(title, headers, rows)
    return load_workbook(BytesIO(workbook.to_bytes()))


def test_text_starting_a_formula_is_written_as_text_and_read_back_unchanged():
    attacks = ['=HYPERLINK("http://x","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
    harmless = ["财政动态", "a=b", "1-2", "'只是引号"]
    sheet = written(["内容"], [[text] for text in attacks + harmless]).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)  # none is a formula
    assert [cell.value for cell in cells] == ["'" + text for text in attacks] + harmless
    assert [xlsx.unmarked(cell.value) for cell in cells] == attacks + harmless


def test_numbers_stay_numbers_even_negative_ones():
    sheet = written(["数"], [[-5], [2.5], ["-5"]]).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [-5, 2.5, "'-5"]


def test_times_are_written_in_beijing_time_and_dates_as_dates():
    moment = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)  # 2026-03-02 00:30 in Beijing
    sheet = written(["提交时间", "日期"], [[moment, date(2026, 3, 2)]]).active
    submitted, day = sheet["A2"], sheet["B2"]
    assert submitted.value == datetime(2026, 3, 2, 0, 30)
    assert submitted.number_format == "yyyy-mm-dd hh:mm"
    assert day.value == datetime(2026, 3, 2) and day.number_format == "yyyy-mm-dd"


def test_the_header_is_bold_and_frozen_and_columns_fit_their_text():
    sheet = written(["单位", "数量"], [["区住房和城乡建设局", 3]]).active
    assert sheet["A1"].font.b and sheet["B1"].font.b and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= 2 * len("区住房和城乡建设局")


def test_a_sheet_title_excel_would_refuse_is_cut_to_one_it_accepts():
    book = written(["x"], [], title="2025/2026 年度[报表]：各栏目信息数与各单位更新情况汇总表")
    (title,) = book.sheetnames
    assert len(title) <= 31 and not set(title) & set("[]:*?/\\")
    assert title.startswith("20252026 年度报表")


def test_a_download_carries_its_chinese_filename_without_path_characters():
    response = xlsx.attachment(b"data", "年度报表/2025:区.xlsx")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert unquote(disposition.split("''", 1)[1]) == "年度报表_2025_区.xlsx"
    assert response["Content-Type"] == xlsx.CONTENT_TYPE and response.content == b"data"
