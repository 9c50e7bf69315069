"""Template tags of the COP workspace, for pages of other stages that show attachments
(`templates/planning/workspace/_attachments.html`) and for the home page's announcements."""

from django import template

from planning.workspace import files

register = template.Library()


@register.simple_tag(takes_context=True)
def attachments_of(context, obj):
    """The files attached to `obj`, each marked `deletable` for the person viewing (the
    page's `request.access`), in one query."""
    access = getattr(context.get("request"), "access", None)
    rows = list(files.attached(obj).select_related("uploaded_by"))
    for row in rows:
        row.deletable = access is not None and files.may_delete(row, access)
    return rows


@register.simple_tag
def attach_key(obj, name):
    """The value of an upload form's `to` for `obj`: "<name>:<public id>"."""
    return f"{name}:{obj.public_id}"
