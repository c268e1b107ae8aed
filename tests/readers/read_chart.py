"""Decodes the chart's PNG with the standard library alone (chunks, CRCs, zlib, filter bytes)
and parses its SVG as XML; prints the sizes, how many distinct colours the pixels hold and
the SVG's texts, as JSON."""
import json
import struct
import sys
import xml.etree.ElementTree as ET
import zlib


def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, "bad CRC"
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, *_ = ihdr
    channels = {2: 3, 6: 4, 0: 1}[colour]
    raw = zlib.decompress(idat)
    stride = width * channels
    assert len(raw) == height * (stride + 1), "pixel data does not fill the image"
    # Undo the per-row filters (PNG spec §9) to get the pixels, then count their colours.
    prev = bytearray(stride)
    colours = set()
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        for x in range(0, stride, channels):
            colours.add(bytes(line[x:x + channels]))
        prev = line
    return {"width": width, "height": height, "depth": depth, "colours": len(colours)}


def read_svg(path):
    root = ET.parse(path).getroot()
    texts = ["".join(t.itertext()).strip() for t in root.iter() if t.tag.endswith("text")]
    return {"width": root.get("width"), "height": root.get("height"), "texts": texts}


if __name__ == "__main__":
    print(json.dumps({"png": read_png(sys.argv[1]), "svg": read_svg(sys.argv[2])}, ensure_ascii=False))
