"""The library: every item and resource a person may read, across the site's cohorts (past
ones too), with search and filters; a page per item and per resource; and the public page of
an item published for anyone, without login and without names but the author's own choice."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from cohorts.models import Cohort, CohortRole, Community, Membership
from planning.knowledge import library
from planning.knowledge.blueprints import blueprint
from planning.knowledge.forms import LibraryForm
from planning.knowledge.models import KnowledgeItem, Resource, Scope
from planning.workspace import files
from planning.workspace.views.files import serve

PAGE = 20


def _choices(items, resources):
    """What the filters offer: the areas, cohorts, communities and years of what the
    reader can read (four queries)."""
    areas = set(items.exclude(topic=None).values_list("topic__name", flat=True).distinct())
    for key in resources.values_list("areas_key", flat=True):
        areas.update(a for a in key.strip("|").split("|") if a)
    cohort_ids = set(items.values_list("cohort_id", flat=True).distinct())
    cohort_ids |= set(resources.values_list("cohort_id", flat=True).distinct())
    cohorts = Cohort.objects.filter(pk__in=cohort_ids).order_by("-starts_on", "name")
    communities = (
        Community.objects.filter(pk__in=items.values("community_id"))
        .select_related("cohort")
        .order_by("name")
    )
    years = sorted({d.year for d in items.dates("shared_at", "year")}, reverse=True)
    return {
        "areas": sorted(areas, key=str.lower),
        "cohorts": list(cohorts),
        "communities": list(communities),
        "years": years,
    }


def library_list(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    items = library.items_for(request.user)
    resources = library.resources_for(request.user)
    form = LibraryForm(request.GET or None, **_choices(items, resources))
    chosen = (
        form.filters()
        if request.GET
        else {"q": "", "kind": "", "area": "", "cohort": None, "community": None, "year": None}
    )
    kind = chosen["kind"]
    show_items = kind != LibraryForm.RESOURCES
    show_resources = kind in ("", LibraryForm.RESOURCES) and chosen["community"] is None
    found_items = []
    if show_items:
        rows = library.filter_items(
            items,
            kind=kind,
            area=chosen["area"],
            cohort=chosen["cohort"],
            community=chosen["community"],
            year=chosen["year"],
        )
        rows = library.search(rows.select_related("community", "cohort", "topic"), chosen["q"])
        found_items = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    found_resources = []
    if show_resources:
        rows = library.filter_resources(
            resources, area=chosen["area"], cohort=chosen["cohort"], year=chosen["year"]
        )
        found_resources = list(library.search(rows.select_related("cohort"), chosen["q"])[:PAGE])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "planning/knowledge/library.html",
        {
            "form": form,
            "items": found_items,
            "resources": found_resources,
            "searched": any(chosen.values()),
            "query": query.urlencode(),
        },
    )


def _reads_community(user, item):
    """Whether `user` may open the item's community page (its members and its staff)."""
    if user.is_superuser:
        return True
    return (
        Membership.objects.filter(community_id=item.community_id, participant__user=user).exists()
        or CohortRole.objects.filter(
            cohort_id=item.cohort_id, user=user, role=CohortRole.Role.STAFF
        ).exists()
    )


def _answers(item):
    plan = blueprint(item.kind)
    return plan, [(f, item.fields.get(f.name, "")) for f in plan.fields]


def library_item(request, item_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    rows = library.items_for(request.user).select_related(
        "community__cohort", "cohort", "topic", "author"
    )
    item = get_object_or_404(rows, public_id=item_id)
    plan, answers = _answers(item)
    return render(
        request,
        "planning/knowledge/library_item.html",
        {
            "item": item,
            "plan": plan,
            "answers": answers,
            "responses": item.comments.count(),
            "attached": list(files.attached(item)),
            "community_url": item.get_absolute_url()
            if _reads_community(request.user, item)
            else None,
        },
    )


def library_file(request, item_id, file_id):
    """A file attached to an item, for whoever may read the item in the library: an item
    shared beyond its COP takes its files along."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    item = get_object_or_404(library.items_for(request.user), public_id=item_id)
    try:
        row = get_object_or_404(files.attached(item), public_id=file_id)
    except ValidationError as error:
        raise Http404("No such file") from error
    return serve(row)


def library_resource(request, resource_id):
    resource = Resource.objects.filter(public_id=resource_id).select_related("cohort").first()
    if resource is None:
        raise Http404("No such resource")
    if not library.resources_for(request.user).filter(pk=resource.pk).exists():
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404("No such resource")
    can_edit = request.user.is_authenticated and (
        request.user.is_superuser
        or CohortRole.objects.filter(
            cohort=resource.cohort, user=request.user, role=CohortRole.Role.STAFF
        ).exists()
    )
    return render(
        request,
        "planning/knowledge/resource.html",
        {"resource": resource, "can_edit": can_edit},
    )


def library_public(request, item_id):
    """An item published for anyone: its template's answers, the author's name only if they
    chose it, no community members and no responses."""
    item = (
        KnowledgeItem.objects.filter(public_id=item_id, state=KnowledgeItem.State.SHARED)
        .select_related("author", "topic")
        .first()
    )
    if item is None or item.scope != Scope.PUBLIC:
        if not request.user.is_authenticated:
            target = item.get_library_url() if item is not None else request.get_full_path()
            return redirect_to_login(target)
        if item is None:
            raise Http404("No such item")
        return redirect(item.get_library_url())
    plan, answers = _answers(item)
    return render(
        request,
        "planning/knowledge/public.html",
        {
            "item": item,
            "plan": plan,
            "answers": answers,
            "author_name": item.author.name if item.show_author_publicly and item.author else "",
        },
    )
