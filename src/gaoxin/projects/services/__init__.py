"""Every write of the projects app, one module per subject: projects (and their parcels), reports
(plans, monthly investment, periods), task forces, journal and issues, settings."""
