"""The pycrdt (Yrs) baseline for qun's full sync.

Reads the canonical export of the store qun syncs (`qun export --format json`), so both sides
hold the same records, fields and values. Each record becomes a Map under a root Map per
collection; each scalar field is one map write, each set element one write into a nested Map
(element -> True, the nearest Yrs shape to qun's add-wins set), each log entry one append to a
nested Array. That is the same count of field edits as qun's change log, plus one write per
nested container, reported apart.

Timed as one figure, like qun's sync (which reads, encodes, sends, decodes, applies and
commits to disk): encode the whole document (`get_update`), apply it into a fresh Doc, and
write the update bytes to a file with fsync. Building the source document is not timed; it
plays the part of qun's source store, which exists before the sync starts. Interpreter start-up
is not timed either, whereas qun's figure includes process start-up.

    python pycrdt_sync.py EXPORT.json --runs 5 --dir SCRATCH

The last line is machine-readable: `result total encode apply write writes containers value_bytes update_bytes`.
"""

import argparse
import json
import os
import statistics
import time

import pycrdt
from pycrdt import Array, Doc, Map


def build(export):
    """The source document, and what went into it."""
    doc = Doc()
    writes = containers = value_bytes = 0
    with doc.transaction():
        for collection, records in sorted(export.items()):
            root = doc.get(collection, type=Map)
            for record in records:
                fields = Map()
                root[record["id"]] = fields
                containers += 1
                for field, value in record.items():
                    if field == "id":
                        continue
                    if isinstance(value, list) and all(isinstance(v, dict) for v in value) and value:
                        log = Array()
                        fields[field] = log
                        containers += 1
                        for entry in value:
                            log.append(json.dumps(entry, ensure_ascii=False, sort_keys=True))
                            writes += 1
                            value_bytes += len(json.dumps(entry, ensure_ascii=False).encode())
                    elif isinstance(value, list):
                        elements = Map()
                        fields[field] = elements
                        containers += 1
                        for element in value:
                            elements[str(element)] = True
                            writes += 1
                            value_bytes += len(str(element).encode())
                    else:
                        fields[field] = value
                        writes += 1
                        value_bytes += len(str(value).encode())
    return doc, writes, containers, value_bytes


def record_count(doc, collections):
    return sum(len(doc.get(name, type=Map)) for name in collections)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("export")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", default=".")
    arguments = parser.parse_args()

    with open(arguments.export, encoding="utf-8") as file:
        export = json.load(file)
    records = sum(len(v) for v in export.values())
    build_start = time.perf_counter()
    source, writes, containers, value_bytes = build(export)
    build_seconds = time.perf_counter() - build_start
    print(f"pycrdt {getattr(pycrdt, '__version__', '?')}: {records} records, {writes} field writes "
          f"(+ {containers} nested containers), {value_bytes / max(writes, 1):.1f} value bytes per write; "
          f"built in {build_seconds:.3f} s (not timed)")

    totals, encodes, applies, fsyncs = [], [], [], []
    size = 0
    for run in range(arguments.runs):
        path = os.path.join(arguments.dir, f"pycrdt-{run}.bin")
        start = time.perf_counter()
        update = source.get_update()
        encoded = time.perf_counter()
        target = Doc()
        target.apply_update(update)
        applied = time.perf_counter()
        with open(path, "wb") as file:
            file.write(update)
            file.flush()
            os.fsync(file.fileno())
        written = time.perf_counter()
        if record_count(target, export.keys()) != records:
            raise SystemExit("pycrdt: the applied document lost records")
        size = len(update)
        os.remove(path)
        totals.append(written - start)
        encodes.append(encoded - start)
        applies.append(applied - encoded)
        fsyncs.append(written - applied)
        print(f"  run {run + 1}: encode {encodes[-1]:.3f} s + apply {applies[-1]:.3f} s + write {fsyncs[-1]:.3f} s "
              f"= {totals[-1]:.3f} s ({size} update bytes)")

    median = statistics.median
    print(f"  median of {arguments.runs}: {median(totals):.3f} s (encode {median(encodes):.3f}, "
          f"apply {median(applies):.3f}, write {median(fsyncs):.3f}); {size / max(writes, 1):.1f} update bytes per write")
    print(f"result {median(totals):.6f} {median(encodes):.6f} {median(applies):.6f} {median(fsyncs):.6f} "
          f"{writes} {containers} {value_bytes} {size}")


if __name__ == "__main__":
    main()
