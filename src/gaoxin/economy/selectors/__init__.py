"""Every read with logic of the economy app; data scope is applied here."""
