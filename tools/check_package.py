#!/usr/bin/env python3
"""Check a jisseki output folder as a portal or a researcher would load it.

    python3 tools/check_package.py DIR

1. `frictionless validate DIR/datapackage.json` (types, required fields, primary keys, foreign
   keys within the CSV files);
2. load the package into SQLite with frictionless (what `frictionless` users and CKAN
   harvesters do) and run `PRAGMA foreign_key_check` — a key that does not resolve, or a
   foreign key to columns that are not unique ("foreign key mismatch"), fails;
3. the row count of every table equals what the report JSONs in DIR hold (the item tables
   carry each report once, from the source reports.csv names).

Prints one line per check and exits 1 on the first failure. Needs `pip install
'frictionless[sql]'`.
"""

import csv
import json
import os
import sqlite3
import sys
import tempfile

from frictionless import Package, validate


def fail(msg):
    print(f"check_package: FAIL: {msg}")
    sys.exit(1)


def english_names(resource):
    """Field name in the CSV -> English name (the title holds it under --header-lang ja)."""
    fields = resource["schema"]["fields"]
    japanese = any(not f["name"].isascii() for f in fields)
    return {f["name"]: f["title"] if japanese else f["name"] for f in fields}


def read_table(pkg_dir, resource):
    names = english_names(resource)
    encoding = "utf-8-sig" if resource.get("encoding") == "utf-8-sig" else "utf-8"
    with open(os.path.join(pkg_dir, resource["path"]), encoding=encoding, newline="") as f:
        rows = list(csv.DictReader(f))
    return [{names[k]: v for k, v in r.items()} for r in rows]


def report_documents(pkg_dir):
    docs = {}
    for name in sorted(os.listdir(pkg_dir)):
        if not name.endswith(".json") or name == "datapackage.json":
            continue
        with open(os.path.join(pkg_dir, name), encoding="utf-8-sig") as f:
            doc = json.load(f)
        if "schema_version" in doc and isinstance(doc.get("items"), list):
            docs[doc["source"]["sha256"]] = doc
    return docs


def expected_counts(doc):
    items = doc["items"]
    inis = [n for i in items for n in i["initiatives"]]
    return {
        "items": len(items),
        "item_departments": sum(len(i["departments"]) for i in items),
        "item_groups": sum(len(i.get("groups", [])) for i in items),
        "initiatives": len(inis),
        "schedule": sum(len(n["schedule"]) for n in inis),
        "effects": sum(len(i.get("effects", [])) for i in items),
        "extra": sum(len(i.get("extra", [])) for i in items),
        "warnings": len(doc.get("warnings", [])),
        "corrections": len(doc.get("corrections", [])),
    }


def main(pkg_dir):
    pkg_path = os.path.join(pkg_dir, "datapackage.json")
    report = validate(pkg_path)
    if not report.valid:
        errors = report.flatten(["rowNumber", "fieldName", "type", "note"])
        fail(f"frictionless validate: {errors[:5]}")
    print("check_package: frictionless validate: valid")

    with open(pkg_path, encoding="utf-8") as f:
        descriptor = json.load(f)
    resources = {r["name"]: r for r in descriptor["resources"]}

    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "package.sqlite")
        Package(pkg_path).publish(f"sqlite:///{db}")
        con = sqlite3.connect(db)
        try:
            dangling = con.execute("PRAGMA foreign_key_check").fetchall()
        except sqlite3.Error as e:
            fail(f"PRAGMA foreign_key_check: {e}")
        if dangling:
            fail(f"foreign keys that do not resolve: {dangling[:5]}")
        declared = sum(
            len(con.execute(f'PRAGMA foreign_key_list("{t}")').fetchall()) for t in resources
        )
        if declared == 0:
            fail("the SQLite database frictionless wrote declares no foreign keys")
        loaded = {
            t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in resources
        }
        con.close()
    print(f"check_package: loaded into SQLite, {declared} foreign keys, foreign_key_check clean")

    docs = report_documents(pkg_dir)
    reports = read_table(pkg_dir, resources["reports"])
    want = {t: 0 for t in resources}
    want["reports"] = len(reports)
    want["sources"] = len(docs)
    for r in reports:
        doc = docs.get(r["sha256"])
        if doc is None:
            fail(f"reports.csv names source {r['sha256']} that no report JSON in the folder holds")
        for t, n in expected_counts(doc).items():
            want[t] += n
        if int(r["item_count"]) != len(doc["items"]):
            fail(f"report {r['report_id']}: item_count {r['item_count']}, JSON {len(doc['items'])}")
    for t in resources:
        csv_rows = len(read_table(pkg_dir, resources[t]))
        if not (csv_rows == loaded[t] == want[t]):
            fail(f"{t}: {csv_rows} CSV rows, {loaded[t]} loaded, {want[t]} in the JSON")
    print(
        "check_package: row counts equal the JSON: "
        + ", ".join(f"{t} {want[t]}" for t in resources)
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    main(sys.argv[1])
