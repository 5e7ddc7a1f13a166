"""Refresh the catalogue: pyside6-lupdate app/ui/*.py -ts resources/translations/govdata_zh_CN.ts
-source-language zh_CN -target-language zh_CN, then run this (from the repository root) to give module-level tr()
calls their runtime context and mark each entry finished, then pyside6-lrelease the .ts to the .qm."""
import pathlib
import re
import xml.etree.ElementTree as ET

ts = pathlib.Path("resources/translations/govdata_zh_CN.ts")
tree = ET.parse(ts)
root = tree.getroot()
ctx_of = {}
for f in pathlib.Path("app/ui").glob("*.py"):
    m = re.search(r'QCoreApplication\.translate\("(\w+)", text\)', f.read_text())
    if m:
        ctx_of[f.name] = m.group(1)
contexts = {}
for c in list(root.findall("context")):
    name = c.findtext("name")
    for msg in c.findall("message"):
        loc = msg.find("location")
        fname = pathlib.Path(loc.get("filename")).name if loc is not None else ""
        target = name or ctx_of.get(fname, "")
        tr_el = msg.find("translation")
        tr_el.text = msg.findtext("source")
        tr_el.attrib.pop("type", None)
        contexts.setdefault(target, []).append(msg)
    root.remove(c)
for name in sorted(contexts):
    c = ET.SubElement(root, "context")
    ET.SubElement(c, "name").text = name
    for msg in contexts[name]:
        c.append(msg)
ET.indent(tree)
tree.write(ts, encoding="utf-8", xml_declaration=True)
print({k: len(v) for k, v in contexts.items()})
