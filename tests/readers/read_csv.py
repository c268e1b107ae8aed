"""Reads a CSV as Excel would be told to (UTF-8 with a byte-order mark) and prints, as JSON,
whether the BOM is there and the rows."""
import csv
import io
import json
import sys


def main(path):
    raw = open(path, "rb").read()
    text = raw.decode("utf-8-sig")
    print(json.dumps({
        "bom": raw.startswith(b"\xef\xbb\xbf"),
        "rows": list(csv.reader(io.StringIO(text, newline=""))),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
