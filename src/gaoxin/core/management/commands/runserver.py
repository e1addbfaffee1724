from django.core.management.commands.runserver import Command as DjangoRunserver

from gaoxin.core.checks import refuse_default_secret_key


class Command(DjangoRunserver):
    def inner_run(self, *args, **options):
        refuse_default_secret_key()
        super().inner_run(*args, **options)

    def handle(self, *args, **options):
        refuse_default_secret_key()
        super().handle(*args, **options)
