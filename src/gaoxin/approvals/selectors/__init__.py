"""Every read with logic of the approvals app; data scope is applied here."""
