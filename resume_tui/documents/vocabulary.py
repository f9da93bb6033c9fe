"""Words that name jobs, seniority and organisations: one home for the vocabulary that both the
parser (entry headers: which part is the title, which the employer) and the analysis (the
guard's title and employer facts) read, so the two never disagree.
"""

from __future__ import annotations

RANKED_SENIORITY = {
    "intern": 0, "trainee": 0, "junior": 1, "jr": 1, "assistant": 1, "associate": 2, "senior": 3, "sr": 3,
    "staff": 4, "lead": 4, "principal": 5, "manager": 5, "head": 6, "director": 6, "chief": 7, "vp": 7,
    "vice": 7, "president": 8, "partner": 7, "distinguished": 6, "executive": 6, "deputy": 5,
    "supervisor": 4, "managing": 6,
}
ROLE_NOUNS = {
    "engineer", "developer", "programmer", "manager", "director", "analyst", "scientist", "designer",
    "architect", "consultant", "nurse", "teacher", "accountant", "officer", "specialist", "coordinator",
    "administrator", "assistant", "associate", "representative", "executive", "president", "intern",
    "technician", "researcher", "professor", "lecturer", "practitioner", "therapist", "supervisor",
    "founder", "co-founder", "cto", "ceo", "cfo", "coo", "cio", "vp", "head", "lead", "recruiter",
    "controller", "auditor", "bookkeeper", "clerk", "tutor", "instructor", "physician", "pharmacist",
    "strategist", "marketer", "editor", "writer", "producer", "owner", "sre", "dba", "tester",
    "paralegal", "attorney", "lawyer", "counsel", "advisor", "adviser", "planner", "buyer", "agent",
    "partner", "principal", "fellow", "chef", "cashier", "receptionist", "secretary", "mentor", "trainer",
}
ORG_SUFFIXES = (
    "Inc", "Inc.", "Ltd", "Ltd.", "LLC", "LLP", "GmbH", "AG", "SA", "S.A.", "BV", "B.V.", "PLC", "plc",
    "Corp", "Corp.", "Corporation", "Company", "Co.", "Group", "Holdings", "University", "College",
    "Hospital", "Clinic", "Institute", "School", "Bank", "Foundation", "Agency", "Labs", "Lab",
    "Technologies", "Systems", "Solutions", "Partners", "Associates", "Academy", "Council", "Ministry",
    "Department", "Centre", "Center", "Health", "Medical",
)
DEGREE_WORDS = frozenset(
    "bachelor bachelors bachelor's master masters master's phd ph.d ph.d. doctorate doctor mba msc m.sc "
    "bsc b.sc ba b.a. bs b.s. ms m.s. ma m.a. beng meng b.eng m.eng associate diploma certificate "
    "degree licence license licenciatura maestría grado".split()
)
