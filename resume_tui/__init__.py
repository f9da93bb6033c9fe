"""resume-tui: tailor a resume to a job description, honestly, in the terminal."""

__version__ = "0.1.0"
