"""What the 智改数转 pages share: who may open them, and where a saved row without a page of its own leads."""

from gaoxin.core.pages import business_page

# Leaders read, department staff read and write; enterprise users and administrators get 403.
transformation_page = business_page(enterprise_users=False)


class Redirect:
    """What form_page needs from a saved row that has no page of its own: where to go next."""

    def __init__(self, url: str):
        self.url = url

    def get_absolute_url(self) -> str:
        return self.url
