"""Every write of the evaluation app, one module per subject: schemes, data, runs, appeals."""
