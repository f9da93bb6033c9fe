"""Job pages and postings the posting tests serve and load (made here, nothing copied)."""

from __future__ import annotations

import json

NAV = """<nav><a href="/">Home</a> <a href="/jobs">All jobs</a> <a href="/blog">Engineering blog</a></nav>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience. Accept all cookies</div>"""
FOOTER = "<footer><p>© 2026 Parcelio GmbH · Privacy policy · Imprint · Careers newsletter</p></footer>"

JOB_LD = {
    "@context": "https://schema.org/",
    "@type": "JobPosting",
    "title": "Senior Backend Engineer",
    "hiringOrganization": {"@type": "Organization", "name": "Parcelio"},
    "employmentType": "FULL_TIME",
    "jobLocationType": "TELECOMMUTE",
    "jobLocation": {"@type": "Place", "address": {"addressLocality": "Berlin", "addressCountry": "DE"}},
    "description": (
        "<p>Parcelio moves parcels for 4,000 shops across Europe.</p>"
        "<h3>What you will do</h3><ul><li>Design REST APIs for our shipping platform</li>"
        "<li>Run PostgreSQL at scale</li></ul>"
    ),
    "qualifications": ["5+ years of experience with Python", "Experience with Kubernetes in production"],
    "skills": "Terraform, Kafka",
    "educationRequirements": {"@type": "EducationalOccupationalCredential", "credentialCategory": "bachelor degree"},
    "experienceRequirements": {"@type": "OccupationalExperienceRequirements", "monthsOfExperience": 60},
}


def jsonld_page() -> str:
    return f"""<!DOCTYPE html><html><head><title>Jobs at Parcelio</title>
<script type="application/ld+json">{json.dumps(JOB_LD)}</script></head>
<body>{NAV}<main><h1>Senior Backend Engineer</h1><p>Rendered by JavaScript.</p></main>{FOOTER}</body></html>"""


def plain_page() -> str:
    """A job page without JSON-LD: the main text must be read, the chrome around it must not."""
    return f"""<!DOCTYPE html><html><head><title>Data Engineer - Fjord Analytics</title>
<meta property="og:site_name" content="Fjord Analytics"></head>
<body>{NAV}<header class="site-header"><a href="/">Fjord Analytics</a> <a href="/login">Sign in</a></header>
<aside class="sidebar"><h3>Similar jobs</h3><ul><li>Marketing Manager</li></ul></aside>
<main><article><h1>Data Engineer</h1>
<p>Fjord Analytics builds forecasting tools for Nordic energy companies and is growing its data team in Oslo.</p>
<h2>Requirements</h2><ul><li>3+ years of experience building data pipelines with Python</li>
<li>Strong SQL and experience with Apache Airflow</li><li>Familiarity with dbt</li></ul>
<h2>Nice to have</h2><ul><li>Snowflake</li></ul>
<h2>Benefits</h2><ul><li>30 days of paid vacation</li></ul></article></main>{FOOTER}</body></html>"""


def login_page() -> str:
    return f"""<!DOCTYPE html><html><body>{NAV}<main><h1>Sign in to see this job</h1>
<form action="/session" method="post"><input type="email" name="email"><input type="password" name="pw">
<button>Sign in</button></form><p>New here? Create an account to apply.</p></main></body></html>"""


def json_resume_job() -> str:
    return json.dumps({
        "title": "Frontend Developer",
        "company": "Brightline Labs",
        "type": "Full-time",
        "description": "Brightline Labs builds booking software for clinics.",
        "responsibilities": ["Build accessible React components", "Write end-to-end tests with Playwright"],
        "qualifications": ["3+ years of experience with TypeScript", "Experience with React"],
        "skills": [{"name": "Web", "keywords": ["CSS", "GraphQL"]}],
    })


FRONT_MATTER = """---
title: "Site Reliability Engineer"
company: Northwind Cloud
location: Remote (EU)
description_markdown: |
  Northwind Cloud runs hosting for 2,000 small businesses.
responsibilities_markdown: |
  - Keep our Kubernetes clusters healthy and upgraded
  - Automate infrastructure with Terraform
requirements_markdown: |
  - 4+ years of experience operating Linux servers in production
  - Experience with Prometheus and Grafana
benefits_markdown: |
  - Free gym membership
---
Apply through our careers page.
"""
