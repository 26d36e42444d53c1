"""Pages for problem taxonomies (问题分类体系)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from xuncha.policy.rounds import taxonomy_policy

from . import taxonomies
from .forms import CategoryForm, TaxonomyForm
from .models import Category, Taxonomy


@login_required
def taxonomy_list(request):
    taxonomy_policy.require(request.user, "view")
    return render(request, "rounds/taxonomy_list.html", {
        "items": taxonomy_policy.instances(request.user).select_related("jurisdiction"),
        "can_manage": taxonomy_policy.can(request.user, "manage"),
    })


@login_required
def taxonomy_detail(request, pk: int):
    taxonomy = taxonomy_policy.get(request.user, "view", pk=pk)
    editable = taxonomy_policy.can(request.user, "manage", taxonomy)
    return render(request, "rounds/taxonomy_detail.html", {
        "taxonomy": taxonomy, "tree": taxonomies.category_tree(taxonomy), "editable": editable,
        "can_copy": taxonomy_policy.can(request.user, "manage"),
        "form": CategoryForm(taxonomy=taxonomy) if editable else None,
    })


@login_required
def taxonomy_edit(request, pk: int | None = None):
    if pk is None:
        taxonomy_policy.require(request.user, "manage")
        taxonomy = Taxonomy()
    else:
        taxonomy = taxonomy_policy.get(request.user, "manage", pk=pk)
    form = TaxonomyForm(request.POST or None, instance=taxonomy)
    if request.method == "POST" and form.is_valid():
        try:
            taxonomy = taxonomies.save_taxonomy(request.user, form.save(commit=False), request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存问题分类体系“{taxonomy.name}”。")
            return redirect("rounds:taxonomy", pk=taxonomy.pk)
    return render(request, "rounds/taxonomy_form.html", {"form": form, "taxonomy": taxonomy})


@login_required
@require_POST
def taxonomy_copy(request, pk: int):
    source = taxonomy_policy.get(request.user, "view", pk=pk)
    copy = taxonomies.copy_taxonomy(request.user, source, request=request)
    messages.success(request, f"已复制为“{copy.name}”，可在此修改。")
    return redirect("rounds:taxonomy", pk=copy.pk)


@login_required
def category_edit(request, pk: int, category_id: int | None = None):
    taxonomy = taxonomy_policy.get(request.user, "manage", pk=pk)
    category = get_object_or_404(Category, pk=category_id, taxonomy=taxonomy) if category_id else None
    form = CategoryForm(request.POST or None, instance=category, taxonomy=taxonomy)
    if request.method == "POST" and form.is_valid():
        try:
            taxonomies.save_category(request.user, form.save(commit=False), request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已保存问题类别。")
            return redirect("rounds:taxonomy", pk=taxonomy.pk)
    return render(request, "rounds/category_form.html", {"form": form, "taxonomy": taxonomy,
                                                          "category": category})


@login_required
@require_POST
def category_delete(request, pk: int, category_id: int):
    taxonomy = taxonomy_policy.get(request.user, "manage", pk=pk)
    category = get_object_or_404(Category, pk=category_id, taxonomy=taxonomy)
    taxonomies.delete_category(request.user, category, request=request)
    messages.success(request, "已删除问题类别。")
    return redirect("rounds:taxonomy", pk=taxonomy.pk)
