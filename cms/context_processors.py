from wagtail.models import Page, Site


def navigation(request):
    """Top-level pages marked 'show in menus', for the site header."""
    site = Site.find_for_request(request)
    if site is None:
        return {"nav_pages": []}
    root = site.root_page
    return {
        "nav_pages": list(
            Page.objects.child_of(root)
            .live()
            .public()
            .in_menu()
            .only("title", "url_path", "depth", "path")
        ),
        "site_root": root,
    }
