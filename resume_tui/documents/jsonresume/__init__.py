"""JSON Resume (jsonresume.org, schema v1.2.1): the schema and validation, and the mapping between its
fields and resume lines shared by the reader (documents/readers/jsonresume.py) and the exporter
(documents/export/jsonresume.py)."""
