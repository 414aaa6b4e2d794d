"""A 16:9 PowerPoint deck: one chart per slide, source and permalink in the slide notes.

    slides = [DeckSlide(title, png_bytes, notes="Source: ...", alt_text="...")]
    deck_bytes = build_deck(slides, title="Kazakhstan vs Central Asia: governance")

The picture is the chart's "wide" PNG (1600 x 900, title, subtitle, notes and source line
drawn in), so a slide pasted anywhere stays self-describing; the slide title is a real title
placeholder (outline view, screen readers) and the picture carries the chart's alt text.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from indicators.render.chart import Chart

SLIDE_WIDTH = Inches(13.333)  # 16:9
SLIDE_HEIGHT = Inches(7.5)
TITLE_ONLY_LAYOUT = 5  # in python-pptx's default template
MARGIN = Inches(0.4)
TITLE_TOP = Inches(0.2)
TITLE_HEIGHT = Inches(0.8)
IMAGE_TOP = TITLE_TOP + TITLE_HEIGHT + Inches(0.1)
IMAGE_ASPECT = 900 / 1600


@dataclass(frozen=True)
class DeckSlide:
    title: str
    png: bytes
    notes: str = ""
    alt_text: str = ""


def chart_notes(chart: Chart, link: str | None) -> str:
    """Speaker notes: source line, permalink, notes on breaks and methods, full citations."""
    parts = [chart.source]
    if link:
        parts.append(f"View: {link}")
    parts += [f"Note: {note}" for note in chart.notes]
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


def build_deck(
    slides: Iterable[DeckSlide], title: str = "", subject: str = "", author: str = ""
) -> bytes:
    """The .pptx file's bytes: exactly one slide per entry of ``slides``, in order."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    props = prs.core_properties
    props.title = title[:250]
    props.subject = subject[:250]
    props.author = author[:250]
    props.keywords = "Kazakhstan; reform indicators"
    layout = prs.slide_layouts[TITLE_ONLY_LAYOUT]
    left, top, width, height = _picture_box()
    for entry in slides:
        slide = prs.slides.add_slide(layout)
        heading = slide.shapes.title
        heading.left, heading.top = MARGIN, TITLE_TOP
        heading.width, heading.height = SLIDE_WIDTH - 2 * MARGIN, TITLE_HEIGHT
        heading.text = entry.title
        frame = heading.text_frame
        frame.word_wrap = True
        for paragraph in frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(26)
                run.font.bold = True
        picture = slide.shapes.add_picture(io.BytesIO(entry.png), left, top, width, height)
        picture.name = f"Chart: {entry.title}"[:200]
        if entry.alt_text:
            picture._element.nvPicPr.cNvPr.set("descr", entry.alt_text)
        if entry.notes:
            slide.notes_slide.notes_text_frame.text = entry.notes
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
