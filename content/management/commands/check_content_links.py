from django.core.management.base import BaseCommand, CommandError

from content.linkcheck import find_link_problems


class Command(BaseCommand):
    help = (
        "Controleer alle verwijzingen en koppelingen van gidsen en FAQ's naar producten, "
        "categorieën en gidsen; stopt met een foutcode als er een verwijzing kapot is."
    )

    def handle(self, *args, **options):
        problems = find_link_problems()
        for problem in problems:
            self.stdout.write(str(problem))
        broken = sum(problem.broken for problem in problems)
        warnings = len(problems) - broken
        if broken:
            raise CommandError(
                f"{broken} kapotte verwijzing(en), {warnings} waarschuwing(en) (niet op voorraad)."
            )
        self.stdout.write(f"Geen kapotte verwijzingen ({warnings} waarschuwing(en)).")
