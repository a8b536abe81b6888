"""Writing real PDF, DOCX and ODT files from text: for the demo register (the seeds' agreements
as files) and for tests. PDF by reportlab (BSD), DOCX by python-docx (MIT), ODT by the standard
library (a ZIP with its `mimetype` first and stored, OpenDocument 1.2 part 3, 3.3).

Input is pages of paragraphs; each page of a PDF is one page of the input, DOCX and ODT get a page
break between them (so their page numbers match too).
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

Pages = list[list[str]]


def pdf(pages: Pages, *, title: str = "") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title, author="samverkan")
    style = getSampleStyleSheet()["BodyText"]
    story: list = []
    for n, paragraphs in enumerate(pages):
        if n:
            story.append(PageBreak())
        for text in paragraphs:
            story.append(Paragraph(escape(text), style))
            story.append(Spacer(1, 6))
    document.build(story)
    return buffer.getvalue()


def scanned_pdf(page_count: int = 1) -> bytes:
    """A PDF whose pages have no text layer (as a scanner makes them: only drawing)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for _ in range(page_count):
        canvas.rect(72, 72, 300, 500, fill=1)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def docx(pages: Pages) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK

    document = Document()
    for n, paragraphs in enumerate(pages):
        for k, text in enumerate(paragraphs):
            paragraph = document.add_paragraph()
            if n and k == 0:
                paragraph.add_run().add_break(WD_BREAK.PAGE)
            paragraph.add_run(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_ODT_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""
_ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2">
 <office:automatic-styles>
  <style:style style:name="NewPage" style:family="paragraph">
   <style:paragraph-properties fo:break-before="page"/>
  </style:style>
 </office:automatic-styles>
 <office:body><office:text>{body}</office:text></office:body>
</office:document-content>"""


def odt(pages: Pages) -> bytes:
    body = []
    for n, paragraphs in enumerate(pages):
        for k, text in enumerate(paragraphs):
            style = ' text:style-name="NewPage"' if n and k == 0 else ""
            body.append(f"<text:p{style}>{escape(text)}</text:p>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        package.writestr("META-INF/manifest.xml", _ODT_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        package.writestr(
            "content.xml", _ODT_CONTENT.format(body="".join(body)), compress_type=zipfile.ZIP_DEFLATED
        )
    return buffer.getvalue()
