"""Reads the charts of an XLSX with openpyxl (which loads a workbook's drawings) and prints,
as JSON, per sheet: each chart's type, title and its series' value ranges, so a test can tell
that a native chart exists and what it plots."""
import json
import sys

import openpyxl


def title(chart):
    t = chart.title
    if t is None or t.tx is None or t.tx.rich is None:
        return None
    return "".join(r.t for p in t.tx.rich.p for r in (p.r or []))


def main(path):
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = [
            {
                "type": c.tagname,
                "title": title(c),
                "values": [s.val.numRef.f for s in c.series if s.val and s.val.numRef],
            }
            for c in ws._charts
        ]
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
