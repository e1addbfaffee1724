from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserver

from gaoxin.core.checks import refuse_default_secret_key


class Command(StaticfilesRunserver):
    """Django's runserver, refusing to serve with the default secret key when debug is off."""

    def handle(self, *args, **options):
        refuse_default_secret_key()
        super().handle(*args, **options)
