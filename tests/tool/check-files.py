#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# check-files.py LOG OUTDIR: the host half of the tool tests. Takes the
# files that guest-tool.sh printed between MEMLAB-FILE-BEGIN/END lines of
# the serial log LOG, parses every *.json with python's JSON parser and
# checks what it says, renders every *.svg to PNG with rsvg-convert and
# checks the picture's size and colours. Prints TAP lines "ok - DESC" /
# "not ok - DESC" (tests/tool.sh numbers them).
import json
import os
import struct
import subprocess
import sys
import zlib

results = []


def tap(ok, desc, diag=None):
    results.append(ok)
    print(("ok - " if ok else "not ok - ") + desc)
    if diag and not ok:
        for line in str(diag).splitlines()[:20]:
            print("# " + line)


def files_of(log):
    files, name, buf = {}, None, []
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.startswith("MEMLAB-FILE-BEGIN "):
                name, buf = line.split(" ", 1)[1], []
            elif line.startswith("MEMLAB-FILE-END ") and name:
                files[name] = "\n".join(buf) + "\n"
                name = None
            elif name:
                buf.append(line)
    return files


def png_pixels(path):
    """Width, height, bytes per pixel and rows of an 8-bit RGB(A) PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, bpp = 8, b"", 0, 0, 4
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), "not 8-bit RGB or RGBA"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride = zlib.decompress(idat), width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def colour_count(rows, bpp, rgb):
    want = bytes(rgb)
    return sum(1 for r in rows for x in range(0, len(r), bpp) if r[x:x + 3] == want)


def check_svg(name, text, outdir):
    svg = os.path.join(outdir, name)
    png = svg[:-4] + ".png"
    with open(svg, "w") as f:
        f.write(text)
    try:
        subprocess.run(["rsvg-convert", "-o", png, svg], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as e:
        tap(False, name + ": rsvg-convert renders it", e)
        return
    tap(True, name + ": rsvg-convert renders it")
    w, h, bpp, rows = png_pixels(png)
    tap(w == 760 and 400 <= h <= 1200, "%s: %dx%d pixels (760 wide, 400 to 1200 high)" % (name, w, h))
    white = colour_count(rows, bpp, (255, 255, 255))
    ink = 1 - white / float(w * h)
    tap(0.1 < ink < 0.9, "%s: %.0f%% of the picture is drawn" % (name, 100 * ink))
    # The pgd's blue frames the first box and its bits; the leaf box is
    # grey, or red when there is no page.
    tap(colour_count(rows, bpp, (0x1f, 0x5f, 0xa8)) > 200, name + ": the pgd box and bits in blue")
    leaf = (0xc6, 0x28, 0x28) if "absent" in name or "swap" in name else (0x55, 0x55, 0x55)
    tap(colour_count(rows, bpp, leaf) > 200, name + ": the leaf box in its colour")


def check_walk(name, d, addrs):
    kind = name[len("walk-"):-len(".json")]
    want = {"anon": "anon", "thp": "thp", "hugetlb": "hugetlb", "file": "file",
            "fileabsent": "file-absent", "swap": "swap", "zero": "zero", "nobody": "anon"}[kind]
    leaf = d["leaf"]
    tap(leaf["kind"] == want, "%s: leaf kind %s (want %s)" % (name, leaf["kind"], want))
    if kind in addrs:
        tap(int(d["addr"], 16) == addrs[kind], name + ": the address asked for")
    levels = [e["level"] for e in d["walk"]]
    top = ["pgd", "p4d"] if d["levels"] == 5 else ["pgd"]
    tap(levels[:len(top)] == top and d["levels"] in (3, 4, 5), name + ": walk starts at the top: %s" % levels)
    psz = addrs["pagesize"]
    for e in d["walk"]:
        lo = e["bits"][1]
        ok = e["index"] == (int(d["addr"], 16) >> lo) & (psz // 8 - 1)
        if not ok:
            break
    tap(ok, name + ": every index is its bits of the address (%d-entry tables)" % (psz // 8))
    size = {"thp": addrs["thpsize"], "hugetlb": addrs["hugetlbsize"]}.get(kind, psz)
    if leaf["present"]:
        tap(leaf["page_size"] == size, "%s: page size %d" % (name, leaf["page_size"]))
    if kind == "nobody":
        tap(leaf["pfn"] is None and all(e["next_table"] is None for e in d["walk"]),
            name + ": no physical address without root")
    elif leaf["present"]:
        # mtest's pfn is that of the base page holding addr, also in a huge page.
        tap(leaf["pfn"] is not None and int(leaf["phys"], 16) == int(leaf["pfn"], 16) * psz |
            int(d["addr"], 16) & (psz - 1), name + ": phys is pfn and offset")
    if kind in ("file", "fileabsent"):
        off = psz if kind == "file" else 3 * psz
        tap(leaf["file_path"] == "/tmp/memlab-tool.dat" and int(leaf["file_offset"], 16) == off,
            "%s: file /tmp/memlab-tool.dat at %#x" % (name, off))
    if kind == "swap":
        tap(leaf["swap"] is True and leaf["swap_offset"] not in (None, 0), name + ": swap entry with an offset")


def check_maps(d, addrs):
    def vma(a):
        for v in d["vmas"]:
            if int(v["start"], 16) <= a < int(v["end"], 16):
                return v
        return None
    tap(d["sources"]["pagemap"] and d["sources"]["kpageflags"], "maps.json: pagemap and kpageflags read (root)")
    psz = addrs["pagesize"]
    for kind, key, want in (("thp", "thp", addrs["thpsize"] // psz), ("zero", "zero", 1),
                            ("swap", "swapped", 1), ("hugetlb", "present", addrs["hugetlbsize"] // psz),
                            ("anon", "present", 1)):
        if kind not in addrs:
            continue
        v = vma(addrs[kind])
        tap(v is not None and v[key] >= want, "maps.json: %s mapping: %s %s >= %d" %
            (kind, key, v and v[key], want))


def main():
    log, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    files = files_of(log)
    addrs = {}
    for line in files.get("target-addresses", "").splitlines():
        parts = line.split()
        if len(parts) == 2:
            addrs[parts[0]] = int(parts[1], 16)
    tap(len(files) >= 10, "the guest printed its JSON and SVG files (%d)" % len(files))
    for name in sorted(files):
        text = files[name]
        if name.endswith(".json"):
            try:
                d = json.loads(text)
            except ValueError as e:
                tap(False, name + ": valid JSON", e)
                continue
            tap(True, name + ": valid JSON")
            if name.startswith("walk-"):
                check_walk(name, d, addrs)
            elif name == "maps.json":
                check_maps(d, addrs)
            elif name == "read.json":
                tap(d["hex"] == "6d656d6c61623a20" and d["len"] == 8, "read.json: 8 golden bytes")
        elif name.endswith(".svg"):
            check_svg(name, text, outdir)
    return 0 if all(results) else 1


sys.exit(main())
