"""Reads an XLSX with openpyxl and prints, as JSON, each sheet's frozen pane, autofilter and
cells with the type openpyxl sees (number, date, text), so a test can tell a number stored
as text from a real number."""
import datetime
import json
import sys

import openpyxl


def cell(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return {"t": "bool", "v": v}
    if isinstance(v, (int, float)):
        return {"t": "number", "v": v}
    if isinstance(v, (datetime.datetime, datetime.date)):
        return {"t": "date", "v": v.date().isoformat() if isinstance(v, datetime.datetime) else v.isoformat()}
    return {"t": "text", "v": str(v)}


def main(path):
    wb = openpyxl.load_workbook(path)
    out = {"sheets": []}
    for ws in wb.worksheets:
        out["sheets"].append({
            "name": ws.title,
            "freeze": ws.freeze_panes,
            "autofilter": ws.auto_filter.ref,
            "rows": [[cell(c) for c in row] for row in ws.iter_rows(values_only=True)],
        })
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
