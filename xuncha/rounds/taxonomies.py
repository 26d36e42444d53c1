"""Services for problem taxonomies (问题分类体系): built-in ones are copied, an office edits its own."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from xuncha.audit.services import record
from xuncha.policy.rounds import taxonomy_policy

from .models import Category, Taxonomy


@transaction.atomic
def save_taxonomy(actor, taxonomy: Taxonomy, *, request=None) -> Taxonomy:
    """新建或修改本单位的问题分类体系."""
    created = taxonomy.pk is None
    if created:
        taxonomy_policy.require(actor, "manage")
        taxonomy.jurisdiction_id = actor.organization.jurisdiction_id
        taxonomy.builtin = False
    else:
        taxonomy_policy.require(actor, "manage", taxonomy)
    taxonomy.full_clean()
    taxonomy.save()
    record(actor, "taxonomy.create" if created else "taxonomy.update", taxonomy, request=request,
           summary=f"{'新建' if created else '修改'}问题分类体系“{taxonomy.name}”")
    return taxonomy


@transaction.atomic
def copy_taxonomy(actor, source: Taxonomy, *, request=None) -> Taxonomy:
    """复制一个分类体系（含全部类别）为本单位所有，供修改."""
    taxonomy_policy.require(actor, "manage")
    jurisdiction_id = actor.organization.jurisdiction_id
    base = f"{source.code}-{jurisdiction_id}"
    code, n = base, 1
    while Taxonomy.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    copy = Taxonomy.objects.create(
        code=code[:30], name=f"{source.name}（{actor.organization.jurisdiction.name}）"[:100],
        description=source.description, source=source.source, jurisdiction_id=jurisdiction_id, builtin=False)
    mapping: dict[int, Category] = {}
    # parents first, then children (two levels are enough for the shipped taxonomies; loop for depth)
    pending = list(source.categories.all())
    while pending:
        rest = []
        for cat in pending:
            if cat.parent_id and cat.parent_id not in mapping:
                rest.append(cat)
                continue
            mapping[cat.pk] = Category.objects.create(
                taxonomy=copy, code=cat.code, name=cat.name, order=cat.order,
                parent=mapping.get(cat.parent_id))
        if len(rest) == len(pending):
            break
        pending = rest
    record(actor, "taxonomy.copy", copy, request=request,
           summary=f"复制问题分类体系“{source.name}”为“{copy.name}”", data={"source": source.pk})
    return copy


@transaction.atomic
def save_category(actor, category: Category, *, request=None) -> Category:
    taxonomy_policy.require(actor, "manage", category.taxonomy)
    if category.parent_id and category.parent.taxonomy_id != category.taxonomy_id:
        raise ValidationError("上级类别必须属于同一分类体系。")
    created = category.pk is None
    category.full_clean()
    category.save()
    record(actor, "taxonomy.category_save", category.taxonomy, request=request,
           summary=f"{'新增' if created else '修改'}问题类别“{category.code} {category.name}”",
           data={"category": category.pk})
    return category


@transaction.atomic
def delete_category(actor, category: Category, *, request=None) -> None:
    taxonomy_policy.require(actor, "manage", category.taxonomy)
    record(actor, "taxonomy.category_delete", category.taxonomy, request=request,
           summary=f"删除问题类别“{category.code} {category.name}”")
    category.delete()


def category_tree(taxonomy: Taxonomy) -> list[tuple[Category, list[Category]]]:
    cats = list(taxonomy.categories.all())
    tops = [c for c in cats if c.parent_id is None]
    return [(t, [c for c in cats if c.parent_id == t.pk]) for t in tops]
