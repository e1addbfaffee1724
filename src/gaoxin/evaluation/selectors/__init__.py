"""Every read with logic of the evaluation app, scoped here, one module per subject."""
