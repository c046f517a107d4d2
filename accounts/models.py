from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """The one user model: contributors, reviewers, examiners, editors and operators.

    Roles are groups plus django-guardian object grants (see ``cases.permissions``).
    """

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
