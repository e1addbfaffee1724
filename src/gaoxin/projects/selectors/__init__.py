"""Every read with logic of the projects app, one module per subject; data scope is applied here."""
