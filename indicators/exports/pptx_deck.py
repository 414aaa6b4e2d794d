"""A 16:9 PowerPoint deck: a title slide, key facts, a scorecard table where there is one, then
one chart per slide with the source and permalink in the slide notes.

    slides = [TitleSlide("Kazakhstan against Central Asia", ("Governance", "5 December 2026")),
              TextSlide("Key facts", sentences),
              DeckSlide(title, png_bytes, notes="Source: ...", alt_text="...")]
    deck_bytes = build_deck(slides, title="Kazakhstan vs Central Asia: governance")

A chart slide's title is a real title placeholder (outline view, screen readers); its picture
is the chart's "wide" PNG drawn without the title (chart_slide_figure), so the title is not
said twice, while the subtitle, notes and source line stay in the picture.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from indicators.render.chart import Chart

SLIDE_WIDTH = Inches(13.333)  # 16:9
SLIDE_HEIGHT = Inches(7.5)
TITLE_LAYOUT = 0  # in python-pptx's default template: title and subtitle
TITLE_AND_CONTENT_LAYOUT = 1
TITLE_ONLY_LAYOUT = 5
MARGIN = Inches(0.4)
TITLE_TOP = Inches(0.2)
TITLE_HEIGHT = Inches(0.8)
IMAGE_TOP = TITLE_TOP + TITLE_HEIGHT + Inches(0.1)
IMAGE_ASPECT = 900 / 1600
TABLE_FONT = Pt(12)


@dataclass(frozen=True)
class DeckSlide:
    """A chart: its title, picture, speaker notes and alt text."""

    title: str
    png: bytes
    notes: str = ""
    alt_text: str = ""


@dataclass(frozen=True)
class TitleSlide:
    title: str
    lines: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class TextSlide:
    """A title and a bulleted list (key facts)."""

    title: str
    bullets: tuple[str, ...]
    notes: str = ""


@dataclass(frozen=True)
class TableSlide:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: str = ""


Slide = DeckSlide | TitleSlide | TextSlide | TableSlide


def chart_notes(chart: Chart, link: str | None) -> str:
    """Speaker notes: source line, permalink, notes on breaks and methods, the events drawn,
    full citations and the alt text."""
    parts = [chart.source]
    if link:
        parts.append(f"View: {link}")
    parts += [f"Note: {note}" for note in chart.notes]
    if chart.events_note:
        parts.append(chart.events_note)
    parts += [f"Event {row.line}" for row in chart.events]
    parts += [f"Citation: {c}" for c in chart.citations]
    if chart.alt_text:
        parts.append(f"Alt text: {chart.alt_text}")
    return "\n".join(parts)


def chart_slide(chart: Chart, png: bytes, link: str | None) -> DeckSlide:
    return DeckSlide(chart.title, png, chart_notes(chart, link), chart.alt_text)


def _picture_box() -> tuple[Emu, Emu, Emu, Emu]:
    max_w = SLIDE_WIDTH - 2 * MARGIN
    max_h = SLIDE_HEIGHT - IMAGE_TOP - Inches(0.2)
    width = min(max_w, int(max_h / IMAGE_ASPECT))
    height = int(width * IMAGE_ASPECT)
    left = (SLIDE_WIDTH - width) // 2
    return Emu(left), Emu(IMAGE_TOP), Emu(width), Emu(height)


def _heading(slide, text: str) -> None:
    heading = slide.shapes.title
    heading.left, heading.top = MARGIN, TITLE_TOP
    heading.width, heading.height = SLIDE_WIDTH - 2 * MARGIN, TITLE_HEIGHT
    heading.text = text
    heading.text_frame.word_wrap = True
    for paragraph in heading.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(26)
            run.font.bold = True


def _body_box(slide):
    return slide.shapes.add_textbox(
        MARGIN, IMAGE_TOP, SLIDE_WIDTH - 2 * MARGIN, SLIDE_HEIGHT - IMAGE_TOP - MARGIN
    )


def _title_slide(prs, entry: TitleSlide):
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_LAYOUT])
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    # the template's boxes are placed for 4:3: across the 16:9 slide instead
    title.left, title.top = MARGIN, Inches(1.6)
    title.width, title.height = SLIDE_WIDTH - 2 * MARGIN, Inches(1.5)
    subtitle.left, subtitle.top = MARGIN, Inches(3.3)
    subtitle.width, subtitle.height = SLIDE_WIDTH - 2 * MARGIN, Inches(3.2)
    title.text = entry.title
    subtitle.text = "\n".join(entry.lines)
    for paragraph in subtitle.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(18)
    return slide


def _text_slide(prs, entry: TextSlide):
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    _heading(slide, entry.title)
    frame = _body_box(slide).text_frame
    frame.word_wrap = True
    for i, bullet in enumerate(entry.bullets):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = f"• {bullet}"
        paragraph.space_after = Pt(12)
        for run in paragraph.runs:
            run.font.size = Pt(18)
    return slide


def _table_slide(prs, entry: TableSlide):
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    _heading(slide, entry.title)
    n_rows, n_cols = len(entry.rows) + 1, len(entry.header)
    height = SLIDE_HEIGHT - IMAGE_TOP - MARGIN
    shape = slide.shapes.add_table(
        n_rows, n_cols, MARGIN, IMAGE_TOP, SLIDE_WIDTH - 2 * MARGIN, height
    )
    for r, cells in enumerate((entry.header, *entry.rows)):
        for c, value in enumerate(cells):
            cell = shape.table.cell(r, c)
            cell.text = value
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = TABLE_FONT
                    run.font.bold = r == 0
    shape.table.columns[0].width = Inches(3.6)
    rest = (SLIDE_WIDTH - 2 * MARGIN - Inches(3.6)) // (n_cols - 1)
    for c in range(1, n_cols):
        shape.table.columns[c].width = Emu(rest)
    return slide


def _chart_slide(prs, entry: DeckSlide):
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    _heading(slide, entry.title)
    left, top, width, height = _picture_box()
    picture = slide.shapes.add_picture(io.BytesIO(entry.png), left, top, width, height)
    picture.name = f"Chart: {entry.title}"[:200]
    if entry.alt_text:
        picture._element.nvPicPr.cNvPr.set("descr", entry.alt_text)
    return slide


_BUILDERS = {
    TitleSlide: _title_slide,
    TextSlide: _text_slide,
    TableSlide: _table_slide,
    DeckSlide: _chart_slide,
}


def build_deck(
    slides: Iterable[Slide] | Sequence[Slide], title: str = "", subject: str = "", author: str = ""
) -> bytes:
    """The .pptx file's bytes: exactly one slide per entry of ``slides``, in order."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    props = prs.core_properties
    props.title = title[:250]
    props.subject = subject[:250]
    props.author = author[:250]
    props.keywords = "Kazakhstan; reform indicators"
    for entry in slides:
        slide = _BUILDERS[type(entry)](prs, entry)
        if entry.notes:
            slide.notes_slide.notes_text_frame.text = entry.notes
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
