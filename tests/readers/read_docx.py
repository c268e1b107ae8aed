"""Reads a DOCX with python-docx and prints what a reader of it would see, as JSON:
paragraph texts, table cells, fonts, page size and margins (mm), and embedded images."""
import json
import sys

import docx
from docx.shared import Mm


def mm(length):
    return None if length is None else round(length / Mm(1), 1)


def default_font(d):
    """The Normal style's font, or else the document defaults' (w:docDefaults), which Word
    applies to every run that names none."""
    if d.styles["Normal"].font.name:
        return d.styles["Normal"].font.name
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    fonts = d.styles.element.find(f"{ns}docDefaults/{ns}rPrDefault/{ns}rPr/{ns}rFonts")
    return None if fonts is None else fonts.get(f"{ns}ascii")


def main(path):
    d = docx.Document(path)
    section = d.sections[0]
    fonts = set()
    for p in d.paragraphs:
        for r in p.runs:
            if r.font.name:
                fonts.add(r.font.name)
    for t in d.tables:
        for row in t.rows:
            for c in row.cells:
                for p in c.paragraphs:
                    for r in p.runs:
                        if r.font.name:
                            fonts.add(r.font.name)
    images = [
        rel.target_part.content_type
        for rel in d.part.rels.values()
        if "image" in rel.reltype
    ]
    print(json.dumps({
        "paragraphs": [p.text for p in d.paragraphs],
        "bold_paragraphs": [p.text for p in d.paragraphs if p.runs and all(r.bold for r in p.runs)],
        "tables": [[[c.text for c in row.cells] for row in t.rows] for t in d.tables],
        "fonts": sorted(fonts),
        "default_font": default_font(d),
        "page": {
            "width": mm(section.page_width), "height": mm(section.page_height),
            "top": mm(section.top_margin), "bottom": mm(section.bottom_margin),
            "left": mm(section.left_margin), "right": mm(section.right_margin),
        },
        "images": images,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
