"""URL patterns of this stage, gathered by planning/urls.py."""

from django.urls import path

from planning.knowledge.views import cohort, community, library

# Under /c/<cohort_slug>/.
cohort_urls = [
    path("knowledge/", cohort.overview, name="knowledge-overview"),
    path("knowledge/ask/", cohort.request_items, name="knowledge-request"),
    path("knowledge/resources/new/", cohort.resource_create, name="resource-create"),
    path(
        "knowledge/resources/<uuid:resource_id>/edit/",
        cohort.resource_edit,
        name="resource-edit",
    ),
]

# Under /c/<cohort_slug>/communities/<community_slug>/.
community_urls = [
    path("knowledge/", community.item_list, name="knowledge-community"),
    path(
        "knowledge/new/<slug:kind>/",
        community.item_create,
        name="knowledge-create",
    ),
    path("knowledge/<uuid:item_id>/", community.item_detail, name="knowledge-item"),
    path("knowledge/<uuid:item_id>/edit/", community.item_edit, name="knowledge-edit"),
    path("knowledge/<uuid:item_id>/respond/", community.item_respond, name="knowledge-respond"),
    path("knowledge/<uuid:item_id>/share/", community.item_share, name="knowledge-share"),
    path("knowledge/<uuid:item_id>/agree/", community.item_agree, name="knowledge-agree"),
    path("knowledge/<uuid:item_id>/scope/", community.item_scope, name="knowledge-scope"),
]

# At the site root: the library spans every cohort of the site.
public_urls = [
    path("library/", library.library_list, name="library"),
    path("library/items/<uuid:item_id>/", library.library_item, name="library-item"),
    path(
        "library/items/<uuid:item_id>/files/<uuid:file_id>/",
        library.library_file,
        name="library-file",
    ),
    path(
        "library/resources/<uuid:resource_id>/",
        library.library_resource,
        name="library-resource",
    ),
    path("library/p/<uuid:item_id>/", library.library_public, name="library-public"),
]
