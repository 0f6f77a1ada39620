"""A minimal PDF writer for tests: pages of text lines in a Type0 font (Identity-H encoding) with a
ToUnicode CMap, so a reader extracts exactly the characters written, Chinese included. No font file
is embedded or needed: the glyphs don't matter, the text layer does.
"""
from __future__ import annotations

SIZE, LEADING, LEFT, TOP = 12, 16, 50, 800


def _cmap(cids: dict[str, int]) -> bytes:
    """CID -> Unicode, in blocks of at most 100 entries as the CMap format requires."""
    items = sorted(cids.items(), key=lambda item: item[1])
    blocks = []
    for n in range(0, len(items), 100):
        chunk = items[n:n + 100]
        pairs = "".join(f"<{cid:04X}> <{char.encode('utf-16-be').hex().upper()}>\n" for char, cid in chunk)
        blocks.append(f"{len(chunk)} beginbfchar\n{pairs}endbfchar\n")
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + "".join(blocks) +
            "endcmap\nCMapName currentdict /CIDFont defineresource pop\nend\nend\n").encode()


def _stream(content: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A PDF whose page i shows the lines pages[i], top to bottom, each at the left margin."""
    cids = {char: n for n, char in enumerate(sorted({c for page in pages for line in page for c in line}), 1)}
    kids = " ".join(f"{7 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /TestSong /Encoding /Identity-H"
        b" /DescendantFonts [4 0 R] /ToUnicode 6 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestSong /DW 1000 /FontDescriptor 5 0 R"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        b"<< /Type /FontDescriptor /FontName /TestSong /Flags 4 /FontBBox [0 -120 1000 880]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
        _stream(_cmap(cids)),
    ]
    for i, lines in enumerate(pages):
        shown = " T*\n".join("<" + "".join(f"{cids[c]:04X}" for c in line) + "> Tj" for line in lines)
        content = f"BT /F1 {SIZE} Tf {LEADING} TL {LEFT} {TOP} Td\n{shown}\nET".encode()
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {8 + 2 * i} 0 R"
                       " /Resources << /Font << /F1 3 0 R >> >> >>".encode())
        objects.append(_stream(content))
    out, offsets = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
