"""HTML: one self-contained, printable page (inline CSS, no scripts, no external assets)."""

from __future__ import annotations

from html import escape

from resume_tui.models import ItemKind, Resume

from ._layout import Block, layout_of, runs

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f3f4f6; color: #1f2328;
  font: 10.5pt/1.45 "Segoe UI", "Helvetica Neue", Arial, "Noto Sans", "DejaVu Sans", sans-serif; }
main { max-width: 210mm; margin: 24px auto; padding: 18mm 18mm 16mm; background: #fff;
  box-shadow: 0 1px 4px rgba(0,0,0,.12); }
h1 { font-size: 21pt; margin: 0 0 4px; letter-spacing: .2px; }
.contact { margin: 0; color: #4b5563; font-size: 9.5pt; }
header { border-bottom: 1px solid #c9ced6; padding-bottom: 8px; margin-bottom: 6px; }
h2 { font-size: 11.5pt; color: #1f3864; margin: 14px 0 5px; padding-bottom: 2px;
  border-bottom: 1px solid #dde1e7; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 10.5pt; margin: 9px 0 3px; break-after: avoid; page-break-after: avoid; }
p { margin: 0 0 4px; }
ul { margin: 0 0 6px; padding-left: 18px; }
li { margin: 0 0 2px; break-inside: avoid; page-break-inside: avoid; }
@page { size: A4; margin: 16mm 18mm; }
@media print {
  body { background: #fff; font-size: 10pt; }
  main { margin: 0; padding: 0; max-width: none; box-shadow: none; }
  a { color: inherit; text-decoration: none; }
}
"""


def _inline(block: Block) -> str:
    out = []
    for piece, span in runs(block):
        inner = escape(piece)
        if span is not None and span.italic:
            inner = f"<em>{inner}</em>"
        if span is not None and span.bold:
            inner = f"<strong>{inner}</strong>"
        out.append(inner)
    return "".join(out)


def render_html(resume: Resume, *, lang: str = "en") -> bytes:
    layout = layout_of(resume)
    title = f"{layout.name} — Résumé" if layout.name else "Résumé"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="resume-tui">',
        f"<title>{escape(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
    ]
    if layout.name:
        out.append(f"<h1>{escape(layout.name)}</h1>")
    out.extend(f'<p class="contact">{escape(line)}</p>' for line in layout.contact_lines)
    out.append("</header>")
    for section in layout.sections:
        out.append("<section>")
        if section.title:
            out.append(f"<h2>{escape(section.title)}</h2>")
        in_list = False
        for block in section.items:
            if block.kind == ItemKind.BULLET and not in_list:
                out.append("<ul>")
                in_list = True
            elif block.kind != ItemKind.BULLET and in_list:
                out.append("</ul>")
                in_list = False
            if block.kind == ItemKind.BULLET:
                out.append(f"<li>{_inline(block)}</li>")
            elif block.kind == ItemKind.ROLE:
                out.append(f"<h3>{_inline(block)}</h3>")
            else:
                out.append(f"<p>{_inline(block)}</p>")
        if in_list:
            out.append("</ul>")
        out.append("</section>")
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out).encode("utf-8")
