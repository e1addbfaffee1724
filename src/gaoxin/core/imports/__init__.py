"""The one Excel/CSV import framework.

An app describes a kind of record once, as an `ImportSpec` in its `imports.py`, and registers it;
the import page, the `gaoxin import`/`gaoxin export` commands, the template download and the
filtered-list export all work from that description:

- spec.py        Column, ImportSpec, RowError — the declarative description
- parsers.py     cell parsers (text, code, USCC, industry code, phone, choice, date, decimal, integer, 是/否)
- reader.py      .xlsx via python-calamine, .csv in UTF-8 or GBK → header and rows
- validation.py  every error of every row, no query per row, the model's clean() included
- services.py    file_import (all or nothing, one transaction, audited), records_export, resolve_department
- workbooks.py   the template (.xlsx), the error list, exports (.xlsx with constant_memory, or .csv)

Header rules: headers are compared after NFKC (full-width brackets equal half-width ones) and
without spaces or the required mark `*`. A missing required column, a column named twice and a
column the spec does not know are all errors; a known optional column may be left out, in which
case that field of existing records is left as it is.
"""

from .parsers import CellError
from .registry import all_specs, get_spec, register
from .spec import Column, Counts, ImportSpec, RowError

__all__ = ["CellError", "Column", "Counts", "ImportSpec", "RowError", "all_specs", "get_spec", "register"]
