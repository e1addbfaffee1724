"""Every write of the economy app, one module per subject."""
