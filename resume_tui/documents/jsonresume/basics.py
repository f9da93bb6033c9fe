"""basics: the contact block both ways — what a JSON Resume's basics show as (header lines, contact), and
the basics a parsed resume's contact details and header give (label, location, url, profiles)."""

from __future__ import annotations

from typing import Any

from resume_tui.documents.jsonresume import fields as F
from resume_tui.models import Contact, Resume

_NETWORKS = {"linkedin.com": "LinkedIn", "github.com": "GitHub", "gitlab.com": "GitLab", "twitter.com": "Twitter",
             "x.com": "X", "stackoverflow.com": "Stack Overflow", "medium.com": "Medium", "behance.net": "Behance",
             "dribbble.com": "Dribbble", "kaggle.com": "Kaggle", "orcid.org": "ORCID", "scholar.google.com": "Google Scholar"}


def location_text(location: Any) -> str:
    if not isinstance(location, dict):
        return F.text(location)
    parts = [F.text(location.get(k)) for k in ("address", "city", "region", "postalCode", "countryCode")]
    return ", ".join(" ".join(p.split("\n")) for p in parts if p)


def default_header(doc: dict[str, Any]) -> list[str]:
    """The header lines a JSON Resume shows as: name, label, contact line, place, profiles."""
    basics = F.as_dict(doc.get("basics"))
    reach = " · ".join(v for v in (F.text(basics.get(k)) for k in ("email", "phone", "url")) if v)
    profiles = [p for p in basics.get("profiles") or [] if isinstance(p, dict)]
    lines = [F.text(basics.get("name")), F.text(basics.get("label")), reach, location_text(basics.get("location"))]
    lines += [f"{F.text(p.get('network'))}: {F.text(p.get('url')) or F.text(p.get('username'))}".strip(": ")
              for p in profiles]
    return [line for line in lines if line]


def contact_of(doc: dict[str, Any]) -> tuple[Contact, list[str]]:
    basics = F.as_dict(doc.get("basics"))
    links = [F.text(basics.get("url"))] + [F.text(p.get("url")) for p in basics.get("profiles") or [] if isinstance(p, dict)]
    contact = Contact(name=F.text(basics.get("name")) or None, email=F.text(basics.get("email")) or None,
                      phone=F.text(basics.get("phone")) or None,
                      location=location_text(basics.get("location")) or None, links=[u for u in links if u])
    meta = F.as_dict(doc.get("meta"))
    extension = F.as_dict(meta.get(F.EXTENSION))
    saved = extension.get("header")
    if isinstance(saved, list) and saved and all(isinstance(x, str) for x in saved) \
            and extension.get("header_of") == header_owner(doc):
        return contact, saved
    return contact, default_header(doc)


def header_owner(doc: dict[str, Any]) -> dict[str, str]:
    """The basics the saved header lines were written for: edited elsewhere, the lines are not used."""
    basics = F.as_dict(doc.get("basics"))
    return {name: F.text(basics.get(name)) for name in ("name", "email", "phone")}


def basics_of(resume: Resume) -> dict[str, Any]:
    """basics from a parsed resume: contact details, the headline as label, links as url and profiles."""
    contact = resume.contact
    basics: dict[str, Any] = {}
    for name, value in (("name", contact.name), ("label", _label(resume)), ("email", contact.email),
                        ("phone", contact.phone)):
        if value:
            basics[name] = value
    if contact.location:
        parts = [p.strip() for p in contact.location.split(",")]
        basics["location"] = ({"city": parts[0]} if len(parts) == 1 else
                              {"city": parts[0], "region": parts[1]} if len(parts) == 2 else {"address": contact.location})
    profiles = []
    for link in contact.links:
        url = link if "://" in link else "https://" + link
        host = url.split("://", 1)[1].split("/", 1)[0].lower().removeprefix("www.")
        network = next((name for domain, name in _NETWORKS.items() if host == domain or host.endswith("." + domain)), None)
        if network is None and "url" not in basics:
            basics["url"] = url
            continue
        username = url.rstrip("/").rsplit("/", 1)[-1] if url.count("/") > 2 else ""
        profiles.append({"network": network or host} | ({"username": username} if username else {}) | {"url": url})
    if profiles:
        basics["profiles"] = profiles
    return basics


def _label(resume: Resume) -> str | None:
    """The headline under the name ("Senior Data Engineer"), when the header has one."""
    from resume_tui.documents.contact import is_contact_line

    name = (resume.contact.name or "").casefold()
    for line in resume.header_lines[:4]:
        text = line.strip()
        if not text or text.casefold() == name or is_contact_line(text) or len(text) > 80:
            continue
        if resume.contact.location and text.casefold() == resume.contact.location.casefold():
            continue
        if any(ch.isdigit() for ch in text) or "@" in text or "http" in text or "|" in text:
            continue
        return text
    return None
