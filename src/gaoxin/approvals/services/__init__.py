"""Every write of the approvals app, one module per subject: catalog, cases (items, clock, obligations), notices."""
