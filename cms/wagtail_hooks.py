"""Wagtail integration that is not about one app's models.

Documents: Wagtail serves any document to anyone holding its URL. An agency's documents
(those in an agency's collection) belong to its cases, so they are served only once a
published case links them, or to the people who may manage them in the admin (the
agency's editors, site admins). Editorial documents outside agency collections stay
public, as Wagtail serves them.
"""

from django.http import Http404
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.permissions import policy_registry

from cases.models import Agency, CaseDocument


@hooks.register("before_serve_document")
def only_published_case_documents(document, request):
    if not Agency.objects.filter(collection_id=document.collection_id).exists():
        return None
    if CaseDocument.objects.filter(document=document, case__live=True).exists():
        return None
    user = request.user
    policy = policy_registry.get_by_type(get_document_model())
    if user.is_authenticated and policy.user_has_any_permission_for_instance(
        user, ["change", "choose"], document
    ):
        return None
    raise Http404("No such document.")
