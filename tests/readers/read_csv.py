"""Reads a CSV as Excel would be told to and prints, as JSON, whether it starts with a UTF-8
byte-order mark, whether every line ends in CRLF, and the rows. The field separator is the
second argument (`;` for the people dialect, `,` by default)."""
import csv
import io
import json
import sys


def main(path, delimiter=","):
    raw = open(path, "rb").read()
    text = raw.decode("utf-8-sig")
    lines = raw.split(b"\n")[:-1]
    print(json.dumps({
        "bom": raw.startswith(b"\xef\xbb\xbf"),
        "crlf": bool(lines) and all(line.endswith(b"\r") for line in lines),
        "rows": list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:])
